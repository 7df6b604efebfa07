/**
 * Several Kingdom processes on one database, as a deployment runs them: API instances (`node src/main.ts`, each on
 * a fixed port so a restart comes back where the load balancer expects it) and workers (`node src/worker.ts`), all
 * real processes with the same token signing key and the same cursor key (CURSOR_SECRET: a cursor one instance hands
 * out pages on through any other). Each can be stopped with SIGTERM and started again.
 */
import { freePort } from '../../support/free-port.ts';
import { spawnServer, type ServerProcess } from './process.ts';
import { TEST_ADMIN, TEST_CURSOR_SECRET, TEST_JWT_SECRET } from './server.ts';
import { spawnWorker, type LogLine, type WorkerProcess } from './worker-process.ts';

export type ApiInstance = {
  readonly name: string;
  /** http://127.0.0.1:<port>: the same across restarts. */
  readonly origin: string;
  process(): ServerProcess;
  /** JSON log lines of every run of this instance so far. */
  logs(): LogLine[];
};

export type WorkerInstance = {
  readonly name: string;
  process(): WorkerProcess;
  logs(): LogLine[];
};

export type Instances = {
  readonly apis: readonly ApiInstance[];
  readonly workers: readonly WorkerInstance[];
  /** SIGTERM, wait for a clean exit (code 0), start it again and wait until it serves (or runs jobs). */
  restart(instance: ApiInstance | WorkerInstance): Promise<void>;
  stopAll(): Promise<void>;
};

const parsed = (line: string): LogLine => {
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return { msg: line };
  }
};

export const startInstances = async (options: {
  readonly databaseUrl: string;
  readonly apis: number;
  readonly workers: number;
  /** Extra settings for every API process. */
  readonly apiEnvironment?: Record<string, string>;
}): Promise<Instances> => {
  const common = { DATABASE_URL: options.databaseUrl, NODE_ENV: 'test', LOG_FORMAT: 'json', LOG_LEVEL: 'info' };
  const apiEnvironment = (port: number) => ({
    ...common,
    HOST: '127.0.0.1',
    PORT: String(port),
    JWT_SECRET: TEST_JWT_SECRET,
    CURSOR_SECRET: TEST_CURSOR_SECRET,
    KINGDOM_ADMIN_EMAIL: TEST_ADMIN.email,
    KINGDOM_ADMIN_PASSWORD: TEST_ADMIN.password,
    WORKER_IN_API: 'false',
    ...options.apiEnvironment,
  });
  const workerEnvironment = { ...common, WORKER_CONCURRENCY: '2' };

  const ports = await Promise.all(Array.from({ length: options.apis }, () => freePort()));
  // Everything starts at once, as a deployment does: migrations and the administrator are raced for.
  const [servers, workers] = await Promise.all([
    Promise.all(ports.map((port) => spawnServer(apiEnvironment(port)))),
    Promise.all(Array.from({ length: options.workers }, () => spawnWorker(workerEnvironment))),
  ]);

  const apis = ports.map((port, index) => {
    const runs = [servers[index]!];
    return {
      name: `api-${String.fromCharCode(97 + index)}`,
      origin: `http://127.0.0.1:${port}`,
      process: () => runs.at(-1)!,
      logs: () => runs.flatMap((run) => run.logs.map(parsed)),
      again: async () => void runs.push(await spawnServer(apiEnvironment(port))),
    };
  });
  const workerInstances = workers.map((worker, index) => {
    const runs = [worker];
    return {
      name: `worker-${index + 1}`,
      process: () => runs.at(-1)!,
      logs: () => runs.flatMap((run) => run.logs),
      again: async () => void runs.push(await spawnWorker(workerEnvironment)),
    };
  });

  /** SIGTERM; one still running after 20 s is killed (and its exit code is null). */
  const stop = async (child: ServerProcess | WorkerProcess): Promise<number | null> => {
    if (child.child.exitCode !== null || child.child.signalCode !== null) return child.child.exitCode;
    child.child.kill('SIGTERM');
    const timer = setTimeout(() => child.child.kill('SIGKILL'), 20_000);
    return child.exited.finally(() => clearTimeout(timer));
  };
  return {
    apis,
    workers: workerInstances,
    restart: async (instance) => {
      const code = await stop(instance.process());
      if (code !== 0) throw new Error(`${instance.name} exited with ${String(code)} on SIGTERM`);
      await (instance as (typeof apis)[number] | (typeof workerInstances)[number]).again();
    },
    stopAll: async () => {
      await Promise.all([...apis, ...workerInstances].map((instance) => stop(instance.process())));
    },
  };
};
