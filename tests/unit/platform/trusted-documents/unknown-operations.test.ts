import { createUnknownOperationLog } from '../../../../src/platform/graphql/trusted-documents/unknown-operations.ts';
import { createRecordingLogger } from '../../../support/graphql.ts';

const unknown = (hash: string, refused = false) => ({ hash, operationName: `Op${hash}`, refused });

describe('the log of unknown operations', () => {
  it('counts every one, and logs each distinct operation once with its name, hash and the count so far', () => {
    const logger = createRecordingLogger();
    const log = createUnknownOperationLog(logger);

    log.record(unknown('a'));
    log.record(unknown('a'));
    log.record(unknown('b', true));

    expect(log.count()).toBe(3);
    expect(logger.entries).toEqual([
      {
        level: 'warn',
        object: { operationName: 'Opa', hash: 'a', refused: false, unknownOperations: 1 },
        message: 'ran an operation that is not in the trusted documents (TRUSTED_DOCUMENTS=log)',
      },
      {
        level: 'warn',
        object: { operationName: 'Opb', hash: 'b', refused: true, unknownOperations: 3 },
        message: 'refused an operation that is not in the trusted documents',
      },
    ]);
  });

  it('forgets what it logged after a thousand distinct operations, so a flood cannot grow its memory', () => {
    const logger = createRecordingLogger();
    const log = createUnknownOperationLog(logger);

    for (let index = 0; index <= 1000; index += 1) log.record(unknown(String(index)));
    log.record(unknown('0'));

    expect(log.count()).toBe(1002);
    expect(logger.entries).toHaveLength(1002);
  });
});
