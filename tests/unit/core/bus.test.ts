import { jest } from '@jest/globals';
import {
  bindCommandHandlers,
  createMessageBus,
  mergeEventRoutes,
  type BoundHandler,
  type CommandRoutes,
  type EventRoutes,
  type Outcome,
} from '../../../src/core/bus.ts';
import { UnknownMessageError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import { addBatch, newProduct } from '../../../src/inventory/domain/product.ts';
import type { InventoryDependencies } from '../../../src/inventory/services/ports.ts';
import { FakeInventoryUnitOfWork } from '../../fakes/fake-unit-of-work.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';

type Ping = { readonly type: 'Ping'; readonly text: string };
type Tick = { readonly type: string; readonly n?: number };

const outcome = <R>(result: R, events: readonly DomainEvent[] = []): Outcome<R> => ({ ok: true, result, events });

/** An event subscriber that appends a label to `log` and raises `raises`. */
const subscriber =
  (log: string[], label: string, raises: readonly DomainEvent[] = []): BoundHandler<Tick, void> =>
  async (event) => {
    log.push(`${label}:${event.type}`);
    return outcome(undefined, raises);
  };

const busWith = <Routes extends CommandRoutes>(commands: Routes, events: EventRoutes = {}) => {
  const logger = new RecordingLogger();
  return { bus: createMessageBus({ commands, events, logger }), logger };
};

describe('the message bus', () => {
  it('runs a command through its one handler and returns that handler’s result', async () => {
    const ping = jest.fn(async (command: Ping) => outcome(`pong ${command.text}`));
    const other = jest.fn(async (_command: { readonly type: 'Other' }) => outcome('other'));
    const { bus } = busWith({ Ping: ping, Other: other });

    await expect(bus.execute({ type: 'Ping', text: 'hello' })).resolves.toBe('pong hello');
    expect(ping).toHaveBeenCalledTimes(1);
    expect(ping).toHaveBeenCalledWith({ type: 'Ping', text: 'hello' });
    expect(other).not.toHaveBeenCalled();
  });

  it('rejects a command nobody handles with an UnknownMessageError naming its type, instead of crashing', async () => {
    const { bus } = busWith({ Ping: async (_command: Ping) => outcome('pong') });
    const execute = bus.execute as (command: { type: string }) => Promise<unknown>;

    const rejection = execute({ type: 'Launch' });

    await expect(rejection).rejects.toBeInstanceOf(UnknownMessageError);
    await expect(rejection).rejects.toMatchObject({
      messageType: 'Launch',
      message: expect.stringContaining('"Launch"'),
    });
  });

  it('treats a command type that only exists on Object.prototype (toString) as unknown', async () => {
    const { bus } = busWith({ Ping: async (_command: Ping) => outcome('pong') });
    const execute = bus.execute as (command: { type: string }) => Promise<unknown>;

    await expect(execute({ type: 'toString' })).rejects.toBeInstanceOf(UnknownMessageError);
  });

  it('handles the committed events after the command has finished, in the order they were raised', async () => {
    const log: string[] = [];
    const { bus } = busWith(
      {
        Ping: async (_command: Ping) => {
          log.push('command');
          return outcome('done', [{ type: 'First' }, { type: 'Second' }]);
        },
      },
      { First: [subscriber(log, 'a')], Second: [subscriber(log, 'b')] },
    );

    await bus.execute({ type: 'Ping', text: '' });

    expect(log).toEqual(['command', 'a:First', 'b:Second']);
  });

  it('queues events raised by an event handler behind the events already waiting', async () => {
    const log: string[] = [];
    const { bus } = busWith(
      { Ping: async (_command: Ping) => outcome('done', [{ type: 'First' }, { type: 'Second' }]) },
      {
        First: [subscriber(log, 'first', [{ type: 'FollowUp' }])],
        Second: [subscriber(log, 'second')],
        FollowUp: [subscriber(log, 'follow-up')],
      },
    );

    await bus.execute({ type: 'Ping', text: '' });

    expect(log).toEqual(['first:First', 'second:Second', 'follow-up:FollowUp']);
  });

  it('accepts an event that has no subscribers', async () => {
    const { bus, logger } = busWith({ Ping: async (_command: Ping) => outcome('done', [{ type: 'NobodyListens' }]) });

    await expect(bus.execute({ type: 'Ping', text: '' })).resolves.toBe('done');
    expect(logger.entries).toEqual([]);
  });

  it('logs a failing event handler with its event, keeps the command’s result and still runs the other subscribers', async () => {
    const log: string[] = [];
    const failure = new Error('mailer down');
    const event = { type: 'First', n: 1 };
    const { bus, logger } = busWith(
      { Ping: async (_command: Ping) => outcome('committed', [event, { type: 'Second' }]) },
      {
        First: [
          async () => {
            throw failure;
          },
          subscriber(log, 'after-failure'),
        ],
        Second: [subscriber(log, 'second')],
      },
    );

    await expect(bus.execute({ type: 'Ping', text: '' })).resolves.toBe('committed');

    expect(log).toEqual(['after-failure:First', 'second:Second']);
    expect(logger.at('error')).toEqual([
      {
        level: 'error',
        object: { err: failure, event },
        message: 'event handler failed; the event is dropped for this handler',
      },
    ]);
  });

  it('publishes events raised outside a command to their subscribers', async () => {
    const log: string[] = [];
    const { bus } = busWith({}, { Tick: [subscriber(log, 'tick')] });

    await bus.publish([{ type: 'Tick' }, { type: 'Tick' }]);

    expect(log).toEqual(['tick:Tick', 'tick:Tick']);
  });
});

describe('binding handlers to their dependencies', () => {
  /** Adds a batch of SKU-1 through the unit of work it is given, so its event comes from that unit of work. */
  const recordBatch = async (
    command: { readonly type: 'Record'; readonly reference: string },
    { uow }: InventoryDependencies,
  ) =>
    uow.transaction('READ COMMITTED', async ({ products }) => {
      const product = (await products.get('SKU-1')) ?? newProduct('SKU-1');
      await products.save(addBatch(product, { reference: command.reference, quantity: 1, eta: null }));
      return command.reference;
    });

  it('gives every message a fresh unit of work, and publishes only the events of that message’s own', async () => {
    const unitsOfWork: FakeInventoryUnitOfWork[] = [];
    const makeDependencies = jest.fn((): InventoryDependencies => {
      const uow = new FakeInventoryUnitOfWork();
      unitsOfWork.push(uow);
      return { uow, clock: { now: () => new Date(0) } };
    });
    const seen: DomainEvent[] = [];
    const bus = createMessageBus({
      commands: bindCommandHandlers({ Record: recordBatch }, makeDependencies),
      events: {
        BatchAdded: [
          async (event: DomainEvent) => {
            seen.push(event);
            return outcome(undefined);
          },
        ],
      },
      logger: new RecordingLogger(),
    });

    await bus.execute({ type: 'Record', reference: 'b1' });
    await bus.execute({ type: 'Record', reference: 'b2' });

    expect(makeDependencies).toHaveBeenCalledTimes(2);
    expect(unitsOfWork[0]).not.toBe(unitsOfWork[1]);
    expect(seen).toEqual([
      expect.objectContaining({ type: 'BatchAdded', reference: 'b1' }),
      expect.objectContaining({ type: 'BatchAdded', reference: 'b2' }),
    ]);
  });

  it('publishes nothing when the command’s handler fails, and rejects with its error', async () => {
    const failure = new Error('boom');
    const subscriberSpy = jest.fn(async (_event: DomainEvent) => outcome(undefined));
    const bus = createMessageBus({
      commands: bindCommandHandlers(
        {
          Fail: async (_command: { readonly type: 'Fail' }, { uow }: InventoryDependencies) =>
            uow.transaction('READ COMMITTED', async ({ products }) => {
              await products.save(addBatch(newProduct('SKU-1'), { reference: 'b1', quantity: 1, eta: null }));
              throw failure;
            }),
        },
        () => ({ uow: new FakeInventoryUnitOfWork(), clock: { now: () => new Date(0) } }),
      ),
      events: { BatchAdded: [subscriberSpy] },
      logger: new RecordingLogger(),
    });

    await expect(bus.execute({ type: 'Fail' })).rejects.toBe(failure);
    expect(subscriberSpy).not.toHaveBeenCalled();
  });
});

describe('merging the event routes of several contexts', () => {
  it('keeps the subscribers of every table, in table order, for an event type they share', async () => {
    const log: string[] = [];
    const inventory: EventRoutes = { BatchAdded: [subscriber(log, 'inventory')] };
    const reporting: EventRoutes = {
      BatchAdded: [subscriber(log, 'reporting')],
      Allocated: [subscriber(log, 'reporting')],
    };

    const merged = mergeEventRoutes(inventory, reporting);

    expect(Object.keys(merged).sort()).toEqual(['Allocated', 'BatchAdded']);
    expect(merged.BatchAdded).toEqual([inventory.BatchAdded?.[0], reporting.BatchAdded?.[0]]);
    expect(merged.Allocated).toEqual([reporting.Allocated?.[0]]);
  });

  it('leaves the tables it merged unchanged', () => {
    const first: EventRoutes = { BatchAdded: [subscriber([], 'first')] };
    const second: EventRoutes = { BatchAdded: [subscriber([], 'second')] };

    mergeEventRoutes(first, second);

    expect(first.BatchAdded).toHaveLength(1);
    expect(second.BatchAdded).toHaveLength(1);
  });
});
