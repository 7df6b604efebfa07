import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { repositoryRoot } from '../../../src/platform/repository-root.ts';
import { sourceOf, type Operation, type Untyped } from '../../support/operation.ts';
import type { GraphQLResponse } from './server.ts';

export type ServerProcess = {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  readonly logs: string[];
};

/** The URL in the "Kingdom is serving GraphQL at <url>" line, JSON (`...<url>"`) or pretty (`<url> (started ...`). */
export const SERVING = /serving GraphQL at (http:\/\/[^\s"]+)/;

/** Runs `node src/main.ts` as `npm start` does and waits for its "serving" log line (the URL it listens on). */
export const spawnServer = async (environment: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> => {
  // Jest sets NODE_ENV=test; a plain `npm start` has none of these.
  const { DATABASE_URL: _url, TEST_DATABASE_URL: _test, NODE_ENV: _env, ...inherited } = process.env;
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: repositoryRoot,
    env: { ...inherited, PORT: '0', LOG_LEVEL: 'info', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('\n')}`)), timeoutMs);
    void exited.then((code) => reject(new Error(`server exited with ${code} before serving:\n${logs.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const match = SERVING.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  running.add(child);
  void exited.then(() => running.delete(child));
  return { child, url, exited, logs };
};

const running = new Set<ChildProcess>();

/** For afterEach: a failed assertion must not leave a server (and its Postgres) running behind the suite. */
export const killLeftoverServers = (): void => {
  for (const child of running) child.kill('SIGKILL');
};

/** A server process's answer; `data` is typed optional (not `| null`) as it always was, so older tests still compile. */
export type ProcessAnswer<TData = Untyped> = {
  readonly status: number;
  readonly body: { data?: TData; errors?: GraphQLResponse['body']['errors'] };
};

/** POSTs an operation to a server in another process: a typed document gives typed `data`, a string untyped. */
export const graphqlOver = async <TData = Untyped, TVariables = Record<string, unknown>>(
  url: string,
  query: Operation<TData, TVariables>,
  variables?: NoInfer<TVariables>,
  headers: Record<string, string> = {},
): Promise<ProcessAnswer<TData>> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: sourceOf(query), variables }),
  });
  return { status: response.status, body: (await response.json()) as ProcessAnswer<TData>['body'] };
};
