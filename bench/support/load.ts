/** The orchestrator's side of the load generator: forks load-worker.ts and sends it one job at a time. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { LoadJob, LoadReply, LoadResult } from './load-protocol.ts';

export type LoadGenerator = {
  readonly pid: number;
  run(job: LoadJob): Promise<LoadResult>;
  stop(): Promise<void>;
};

export const startLoadGenerator = async (): Promise<LoadGenerator> => {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'load-worker.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the load generator exited during start-up (code ${code})`)));
  });
  if (child.pid === undefined) throw new Error('the load generator has no pid');

  let nextId = 0;
  const pending = new Map<number, { resolve: (result: LoadResult) => void; reject: (error: Error) => void }>();
  child.on('message', (message: LoadReply) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new Error(`load generator: ${message.error}`));
  });
  void exited.then(() => {
    for (const waiting of pending.values()) waiting.reject(new Error('the load generator exited'));
    pending.clear();
  });

  return {
    pid: child.pid,
    run: (job) =>
      new Promise<LoadResult>((resolve, reject) => {
        const id = ++nextId;
        // autocannon stops by itself after the duration; this only catches a wedged generator.
        const timer = setTimeout(
          () => {
            pending.delete(id);
            reject(new Error(`the load generator did not answer within ${job.durationSeconds + 60} s`));
          },
          (job.durationSeconds + 60) * 1000,
        );
        pending.set(id, {
          resolve: (result) => (clearTimeout(timer), resolve(result)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        child.send({ id, job });
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect();
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
};
