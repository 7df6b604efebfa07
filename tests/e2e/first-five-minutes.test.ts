/**
 * The first five minutes, as a newcomer lives them: a fresh copy of the repository in a `mktemp -d` folder (private:
 * 0700, and as root the 'postgres' user that runs embedded Postgres cannot enter it), no variable set but the ports
 * (so the test cannot collide with a server you are running), `npm start`, the README's Quick start in Sandbox and
 * then every example in order, and Ctrl-C in the terminal: SIGINT to the whole process group, the embedded
 * Postgres's included. npm re-raises the signal whatever node does, so the clean stop is judged by node's own
 * output here, and by its exit code when `node src/main.ts` is started as the group's leader.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { embeddedDataDirectory } from '../../src/platform/database/data-directory.ts';
import { runsAsRoot } from '../../src/platform/database/unprivileged-access.ts';
import { repositoryRoot } from '../../src/platform/repository-root.ts';
import { freePort } from '../support/free-port.ts';
import { graphqlOver, SERVING } from './support/process.ts';
import { copyRepository, developerEnvironment, type RepositoryCopy } from './support/repository-copy.ts';
import { eventually } from './support/worker-process.ts';

// The README's operations and the example files are sent as written (text a newcomer pastes), so they are not
// typed documents: the fields read back are checked by shape instead.
const LOGGED_IN = z.object({ logIn: z.object({ accessToken: z.string() }) });
const ADDED = z.object({ addBatch: z.object({ product: z.object({ sku: z.string() }) }) });
const PAGE = z.object({ products: z.object({ edges: z.array(z.object({ node: z.object({ sku: z.string() }) })) }) });
const SIGNED_UP = z.object({ signUp: z.object({ user: z.object({ id: z.string() }) }) });

// A first start runs initdb, migrates and seeds; the test then starts the server a second time.
jest.setTimeout(180_000);

type Started = { readonly child: ChildProcess; readonly lines: string[]; readonly exited: Promise<number | null> };

/** Runs `command` in the copy as its own process group, the way a terminal runs what you type. */
const startInTerminal = (command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Started => {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, lines, exited };
};

/** The serving line and the banner under it, once the last of it ("Stop ...") has arrived. */
const banner = async (started: Started): Promise<{ url: string; text: string }> => {
  let exited = false;
  void started.exited.then(() => (exited = true));
  const text = await eventually(
    async () => {
      if (exited) throw new Error('the process exited before it served');
      const first = started.lines.findIndex((line) => SERVING.test(line));
      const stop = started.lines.findIndex((line, index) => index > first && /^\s+Stop\s/.test(line));
      return first >= 0 && stop > first ? started.lines.slice(first, stop + 1).join('\n') : undefined;
    },
    'the start-up banner',
    120_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; output so far:\n${started.lines.join('\n')}`);
  });
  return { url: SERVING.exec(text)![1]!, text };
};

const ctrlC = (started: Started): void => void process.kill(-started.child.pid!, 'SIGINT');

/** Pretty log lines above info (pino-pretty prints the level name after the time). */
const aboveInfo = (lines: readonly string[]): string[] =>
  lines.filter((line) => /^\[[\d:]+\] (WARN|ERROR|FATAL)\b/.test(line));

/** The README's "Quick start" GraphQL blocks, in order. */
const quickStart = (): string[] => {
  const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('### With Docker'));
  return [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
};

const EXAMPLES_DIR = join(repositoryRoot, 'examples');
const examples = readdirSync(EXAMPLES_DIR)
  .filter((file) => file.endsWith('.graphql'))
  .sort();
const exampleVariables = (file: string): Record<string, unknown> => {
  const variables = join(EXAMPLES_DIR, file.replace(/\.graphql$/, '.variables.json'));
  return existsSync(variables) ? (JSON.parse(readFileSync(variables, 'utf8')) as Record<string, unknown>) : {};
};

describe('a newcomer in a private folder: npm start, the Quick start, the examples, Ctrl-C', () => {
  let copy: RepositoryCopy;
  let environment: NodeJS.ProcessEnv;
  const started: Started[] = [];

  beforeAll(async () => {
    copy = await copyRepository('kingdom-newcomer-', { private: true });
    environment = developerEnvironment({
      PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      // `npm` and the `node` it runs: the Node 24 running these tests.
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    });
  });

  afterAll(async () => {
    for (const each of started) {
      if (each.child.exitCode === null && each.child.signalCode === null) process.kill(-each.child.pid!, 'SIGKILL');
    }
    const data = embeddedDataDirectory(undefined, copy.root);
    if (data.outsideCheckout) await rm(dirname(data.path), { recursive: true, force: true });
    await copy.remove();
  });

  test('everything answers without an error, and Ctrl-C stops the server and its Postgres cleanly', async () => {
    const npmStart = startInTerminal('npm', ['start'], environment, copy.root);
    started.push(npmStart);
    const { url, text } = await banner(npmStart);

    // The banner: Sandbox, the accounts, where the data lives (outside the private folder as root), how to stop.
    const data = embeddedDataDirectory(undefined, copy.root);
    expect(data.outsideCheckout).toBe(runsAsRoot());
    expect(text).toContain('Sandbox');
    expect(text).toMatch(/Sign in\s+admin@kingdom\.local \/ kingdom-admin/);
    expect(text).toContain('clara.clerk@kingdom.local / kingdom-clerk');
    expect(text).toContain(`data in ${data.outsideCheckout ? data.path : '.data/postgres'}`);
    expect(text).toMatch(/Stop\s+Ctrl-C/);

    // The README's Quick start, as written: sign in, then each operation with the token.
    const [logIn, ...operations] = quickStart();
    expect(operations.length).toBeGreaterThanOrEqual(3);
    const signedIn = await graphqlOver(url, logIn!);
    expect(signedIn.body.errors).toBeUndefined();
    const admin = { authorization: `Bearer ${LOGGED_IN.parse(signedIn.body.data).logIn.accessToken}` };
    const answers = [];
    for (const operation of operations) {
      const answer = await graphqlOver(url, operation, {}, admin);
      expect({ status: answer.status, errors: answer.body.errors }).toEqual({ status: 200, errors: undefined });
      answers.push(answer.body.data);
    }
    // The page it shows last holds the product it added first.
    const added = ADDED.parse(answers[0]).addBatch.product.sku;
    const page = PAGE.parse(answers.at(-1));
    expect(page.products.edges.map((edge) => edge.node.sku)).toContain(added);

    // Then every example, in order, on the same database: anonymous where it says no header is needed.
    const results: Record<string, Record<string, unknown>> = {};
    let token = admin;
    for (const file of examples) {
      const document = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
      const variables = exampleVariables(file);
      if (file.startsWith('11-')) {
        const { signUp } = SIGNED_UP.parse(results['09-sign-up.graphql']);
        variables.input = { ...(variables.input as object), userId: signUp.user.id };
      }
      const anonymous = /Headers: none needed|Run this first/.test(document);
      const answer = await graphqlOver(url, document, variables, anonymous ? {} : token);
      expect({ file, status: answer.status, errors: answer.body.errors }).toEqual({
        file,
        status: 200,
        errors: undefined,
      });
      results[file] = answer.body.data!;
      if (file.startsWith('01-')) {
        token = { authorization: `Bearer ${LOGGED_IN.parse(answer.body.data).logIn.accessToken}` };
      }
    }

    // Ctrl-C: the whole group, Postgres included, gets SIGINT.
    ctrlC(npmStart);
    await npmStart.exited;
    expect(npmStart.lines.filter((line) => /INFO: stopped cleanly$/.test(line))).toHaveLength(1);
    expect(aboveInfo(npmStart.lines)).toEqual([]);
    expect(npmStart.lines.filter((line) => /uncaught|npm error/i.test(line))).toEqual([]);
    expect(existsSync(join(data.path, 'postmaster.pid'))).toBe(false);

    // Started again (node as the group's leader this time, to see its own exit code): the data survived.
    const node = startInTerminal(process.execPath, ['src/main.ts'], environment, copy.root);
    started.push(node);
    const again = await banner(node);
    const product = await graphqlOver(again.url, `{ product(sku: "${added}") { sku } }`, {}, token);
    expect(product.body).toEqual({ data: { product: { sku: added } } });
    ctrlC(node);
    expect(await node.exited).toBe(0);
    expect(aboveInfo(node.lines)).toEqual([]);
    expect(node.lines.at(-1)).toMatch(/INFO: stopped cleanly$/);
    expect(existsSync(join(data.path, 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(data.path, 'PG_VERSION'))).toBe(true);
  });
});
