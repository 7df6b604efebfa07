import type { Envelope } from '../../../src/core/messages.ts';
import { bindTasks, taskRoutes, type TaskDefinition } from '../../../src/core/tasks.ts';

type Shouted = { readonly type: 'Shouted'; readonly words: string };
type Dependencies = { readonly heard: string[]; readonly serial: number };

const envelope = (words: string): Envelope<Shouted> => ({
  id: 'm-1',
  event: { type: 'Shouted', words },
  occurredAt: '2026-11-25T12:00:00.000Z',
});

const echo: TaskDefinition<Shouted, Dependencies> = {
  on: 'Shouted',
  handle: async ({ event }, { heard, serial }) => void heard.push(`${serial}:${event.words}`),
};
const archive: TaskDefinition<{ readonly type: 'Archived' }, Dependencies> = {
  on: 'Archived',
  handle: async () => undefined,
};
const onlyQuestions: TaskDefinition<Shouted, Dependencies> = { ...echo, when: (event) => event.words.endsWith('?') };

describe('background tasks', () => {
  it('run with fresh dependencies for every delivery', async () => {
    const heard: string[] = [];
    let serial = 0;
    const tasks = bindTasks({ echo, archive }, () => ({ heard, serial: (serial += 1) }));

    await tasks.echo!.run(envelope('hello'));
    await tasks.echo!.run(envelope('again'));

    expect(heard).toEqual(['1:hello', '2:again']);
    expect(tasks.echo!.on).toBe('Shouted');
  });

  it('hand each delivery’s dependencies to afterRun once the handler finished, whether it succeeded or failed', async () => {
    const after: string[] = [];
    let serial = 0;
    const failing: TaskDefinition<Shouted, Dependencies> = {
      on: 'Shouted',
      handle: async () => {
        throw new Error('the task failed');
      },
    };
    const tasks = bindTasks(
      { echo, failing },
      () => ({ heard: [], serial: (serial += 1) }),
      async ({ heard, serial }) => {
        after.push(`${serial}:${heard.join()}`);
      },
    );

    await tasks.echo!.run(envelope('hello'));
    await expect(tasks.failing!.run(envelope('boom'))).rejects.toThrow('the task failed');

    expect(after).toEqual(['1:1:hello', '2:']);
  });

  it('are routed by the event type that starts them, several tasks to one event in declaration order', () => {
    const routes = taskRoutes({ echo, archive, louder: { ...echo } });

    expect(routes({ type: 'Shouted', words: 'hi' } as Shouted)).toEqual(['echo', 'louder']);
    expect(routes({ type: 'Archived' })).toEqual(['archive']);
    expect(routes({ type: 'Whispered' })).toEqual([]);
  });

  it('start only for the events their `when` accepts; the others of that type start no task at all', () => {
    const routes = taskRoutes({ echo, onlyQuestions });

    expect(routes({ type: 'Shouted', words: 'why?' } as Shouted)).toEqual(['echo', 'onlyQuestions']);
    expect(routes({ type: 'Shouted', words: 'because' } as Shouted)).toEqual(['echo']);
    expect(taskRoutes({ onlyQuestions })({ type: 'Shouted', words: 'because' } as Shouted)).toEqual([]);
  });
});
