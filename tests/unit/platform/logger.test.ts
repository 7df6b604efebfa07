import { Writable } from 'node:stream';
import { pino } from 'pino';
import { childOnFirstUse, createLogger } from '../../../src/platform/logger.ts';

const recordingPino = () => {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'debug' }, destination);
  let children = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => {
    children += 1;
    return child(...args);
  }) as typeof logger.child;
  return { logger, lines, children: () => children };
};

describe('childOnFirstUse', () => {
  test('makes no child logger until something is logged', () => {
    const { logger, lines, children } = recordingPino();
    childOnFirstUse(logger, { requestId: 'r-1' });
    expect(children()).toBe(0);
    expect(lines).toEqual([]);
  });

  test('logs every level through one child that carries the bindings', async () => {
    const { logger, lines, children } = recordingPino();
    const requestLogger = childOnFirstUse(logger, { requestId: 'r-2' });
    requestLogger.error({ step: 1 }, 'first');
    requestLogger.warn({ step: 2 }, 'second');
    requestLogger.info({ step: 3 }, 'third');
    requestLogger.debug({ step: 4 }, 'fourth');
    await new Promise((resolve) => setImmediate(resolve));
    expect(children()).toBe(1);
    expect(lines.map(({ level, requestId, step, msg }) => ({ level, requestId, step, msg }))).toEqual([
      { level: 50, requestId: 'r-2', step: 1, msg: 'first' },
      { level: 40, requestId: 'r-2', step: 2, msg: 'second' },
      { level: 30, requestId: 'r-2', step: 3, msg: 'third' },
      { level: 20, requestId: 'r-2', step: 4, msg: 'fourth' },
    ]);
  });
});

describe('createLogger', () => {
  const recorded = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    return { stream, text: () => chunks.join('') };
  };

  test('LOG_FORMAT=pretty writes a line a person reads: time, level, message, then the fields', () => {
    const output = recorded();
    createLogger({ LOG_LEVEL: 'info', logFormat: 'pretty' }, output.stream).info({ port: 4000 }, 'listening');
    expect(output.text()).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: listening \{"port":4000\}\n$/);
  });

  test('LOG_FORMAT=json (and no format) writes one JSON object per line', () => {
    for (const logFormat of ['json', undefined] as const) {
      const output = recorded();
      createLogger({ LOG_LEVEL: 'info', ...(logFormat ? { logFormat } : {}) }, output.stream).info(
        { port: 4000 },
        'listening',
      );
      expect(JSON.parse(output.text())).toMatchObject({ level: 30, service: 'kingdom', port: 4000, msg: 'listening' });
    }
  });

  test.each(['json', 'pretty'] as const)('redacts secrets in the %s format', (logFormat) => {
    const output = recorded();
    createLogger({ LOG_LEVEL: 'info', logFormat }, output.stream).info({ input: { password: 'hunter22' } }, 'sign in');
    expect(output.text()).toContain('[redacted]');
    expect(output.text()).not.toContain('hunter22');
  });
});
