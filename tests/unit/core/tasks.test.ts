import type { Envelope } from '../../../src/core/messages.ts';
import { bindTasks, taskRoutes, type TaskDefinition } from '../../../src/core/tasks.ts';

type Shouted = { readonly type: 'Shouted'; readonly words: string };
type Dependencies = { readonly heard: string[]; readonly serial: number };

const envelope = (words: string): Envelope<Shouted> => ({ id: 'm-1', event: { type: 'Shouted', words }, occurredAt: '2026-11-25T12:00:00.000Z' });

const echo: TaskDefinition<Shouted, Dependencies> = {
  on: 'Shouted',
  handle: async ({ event }, { heard, serial }) => void heard.push(`${serial}:${event.words}`),
};
const archive: TaskDefinition<{ readonly type: 'Archived' }, Dependencies> = { on: 'Archived', handle: async () => undefined };

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

  it('are routed by the event type that starts them, several tasks to one event in declaration order', () => {
    const routes = taskRoutes({ echo, archive, louder: { ...echo } });

    expect([...routes]).toEqual([
      ['Shouted', ['echo', 'louder']],
      ['Archived', ['archive']],
    ]);
  });
});
