import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../../src/core/messages.ts';
import type { BoundTasks } from '../../../src/core/tasks.ts';
import { createSqsHandler } from '../../../src/platform/jobs/sqs-handler.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';
import { envelopeFor, sqsEvent, sqsRecord, taskBody } from './sqs-records.ts';

/** Two fake tasks that remember what they ran; `explode` always throws. */
const fakeTasks = () => {
  const ran: Array<{ task: string; envelope: Envelope }> = [];
  const recording = (task: string) => async (envelope: Envelope) => void ran.push({ task, envelope });
  const tasks: BoundTasks = {
    notifyOutOfStock: { on: 'OutOfStock', run: recording('notifyOutOfStock') },
    auditAllocation: { on: 'Allocated', run: recording('auditAllocation') },
    explode: {
      on: 'Allocated',
      run: async () => {
        throw new Error('the mail server said no');
      },
    },
  };
  return { tasks, ran };
};

const good = () => {
  const outOfStock = envelopeFor('OutOfStock', { sku: 'RED-CHAIR' });
  const allocated = envelopeFor('Allocated', { orderId: 'o1' });
  return {
    envelopes: [outOfStock, allocated],
    records: [sqsRecord(taskBody('notifyOutOfStock', outOfStock)), sqsRecord(taskBody('auditAllocation', allocated))],
  };
};

describe('the SQS handler (Lambda side of EXTERNAL_BUS=sqs)', () => {
  it('runs every record of a good batch once and reports no failures', async () => {
    const { tasks, ran } = fakeTasks();
    const { envelopes, records } = good();

    const response = await createSqsHandler(tasks, new RecordingLogger())(sqsEvent(...records));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(ran).toEqual([
      { task: 'notifyOutOfStock', envelope: envelopes[0] },
      { task: 'auditAllocation', envelope: envelopes[1] },
    ]);
  });

  it('answers an empty batch with no failures', async () => {
    const { tasks } = fakeTasks();
    await expect(createSqsHandler(tasks, new RecordingLogger())(sqsEvent())).resolves.toEqual({
      batchItemFailures: [],
    });
  });

  const { id: _id, ...withoutId } = envelopeFor('OutOfStock');
  const poison: ReadonlyArray<[string, string]> = [
    ['a body that is not JSON', '{"task": "notifyOutOfStock", "envelope": '],
    ['an unknown task', taskBody('launchRockets', envelopeFor('OutOfStock'))],
    ['a task name inherited from Object.prototype', taskBody('constructor', envelopeFor('OutOfStock'))],
    ['an envelope without an id', taskBody('notifyOutOfStock', withoutId)],
    ['an envelope whose id is not a UUID', taskBody('notifyOutOfStock', { ...envelopeFor('OutOfStock'), id: '42' })],
    ['an envelope without an event type', taskBody('notifyOutOfStock', { ...envelopeFor('OutOfStock'), event: {} })],
    ['an event the task does not run on', taskBody('notifyOutOfStock', envelopeFor('Allocated'))],
    ['a task that throws', taskBody('explode', envelopeFor('Allocated'))],
  ];

  it.each(poison)('when one record has %s, reports exactly that one and runs the others once', async (_case, body) => {
    const { tasks, ran } = fakeTasks();
    const { envelopes, records } = good();
    const poisonId = randomUUID();
    const logger = new RecordingLogger();

    const response = await createSqsHandler(
      tasks,
      logger,
    )(sqsEvent(records[0]!, sqsRecord(body, poisonId), records[1]!));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poisonId }] });
    expect(ran.map((run) => run.envelope)).toEqual(envelopes);
    expect(logger.at('error')).toEqual([
      expect.objectContaining({ object: expect.objectContaining({ messageId: poisonId }) }),
    ]);
  });

  it('logs which message and task failed, never the body (it may hold personal data)', async () => {
    const { tasks } = fakeTasks();
    const secret = 'customer@example.com';
    const logger = new RecordingLogger();

    await createSqsHandler(
      tasks,
      logger,
    )(
      sqsEvent(
        sqsRecord(`not json ${secret}`, 'm-json'),
        sqsRecord(
          taskBody('notifyOutOfStock', { ...envelopeFor('OutOfStock', { email: secret }), id: secret }),
          'm-id',
        ),
        sqsRecord(taskBody('explode', envelopeFor('Allocated', { email: secret })), 'm-throws'),
      ),
    );

    const errors = logger.at('error');
    expect(errors.map((entry) => (entry.object as { messageId: string }).messageId).sort()).toEqual([
      'm-id',
      'm-json',
      'm-throws',
    ]);
    expect(
      errors.find((entry) => (entry.object as { messageId: string }).messageId === 'm-throws')?.object,
    ).toMatchObject({
      task: 'explode',
    });
    expect(JSON.stringify(errors.map(({ object, message }) => ({ object, message })))).not.toContain(secret);
  });

  it('runs the records of a batch concurrently, not one after another', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const tasks: BoundTasks = {
      slow: {
        on: 'OutOfStock',
        run: async (envelope) => {
          started.push(envelope.id);
          await gate;
        },
      },
    };
    const envelopes = [envelopeFor('OutOfStock'), envelopeFor('OutOfStock')];

    const handled = createSqsHandler(
      tasks,
      new RecordingLogger(),
    )(sqsEvent(...envelopes.map((envelope) => sqsRecord(taskBody('slow', envelope)))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(envelopes.map((envelope) => envelope.id));
    release();
    await expect(handled).resolves.toEqual({ batchItemFailures: [] });
  });
});
