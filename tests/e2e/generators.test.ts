/**
 * The generators (scripts/generate.ts, docs/generators.md) on a copy of this repository, so the real tree is never
 * touched: bad or taken names are refused and leave the copy exactly as it was (its `git status` stays clean); a
 * generated context and command then pass codegen, the type-checker, the linter with the architecture rule, their
 * own unit, integration and end-to-end tests and the authorization matrix, run by a child jest in the copy against
 * this run's Postgres server.
 */
import { jest } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Copying, two code generations, tsc, eslint and a child jest: about a minute on two cores.
jest.setTimeout(240_000);

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
let copy = '';

type Result = { readonly code: number | null; readonly output: string };

/** Runs a command in the copy; never rejects, so tests can assert on failures too. */
const run = (command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Result> =>
  new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, FORCE_COLOR: '0' };
    // The child jest is a run of its own, not one of this run's workers.
    delete childEnv.JEST_WORKER_ID;
    const child = spawn(command, args, { cwd: copy, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });

const mustSucceed = async (command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> => {
  const result = await run(command, args, env);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${result.output}`);
  return result.output;
};

const generate = (...args: string[]) => run(process.execPath, ['scripts/generate.ts', ...args]);
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=kingdom', '-c', 'user.email=kingdom@example.com', ...args], {
    cwd: copy,
    encoding: 'utf8',
  });
/** After a generator ran: what it wrote becomes the base that a refused run must leave untouched. */
const commitAll = (message: string): void => {
  git('add', '-A');
  git('commit', '-q', '--no-gpg-sign', '-m', message);
};
const npm = (script: string) => mustSucceed('npm', ['run', '-s', script]);
const inCopy = (path: string) => readFileSync(join(copy, path), 'utf8');

/** The working tree as git sees it (tracked and untracked, not ignored), plus node_modules by symlink. */
const copyRepository = (): void => {
  copy = mkdtempSync(join(tmpdir(), 'kingdom-generators-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  }).split('\0');
  for (const file of files) {
    // A tracked file deleted in the working tree is listed too.
    if (!file || !existsSync(join(repositoryRoot, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(repositoryRoot, file), join(copy, file));
  }
  symlinkSync(join(repositoryRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
  git('init', '-q');
  execFileSync('sh', ['-c', 'echo node_modules >> .git/info/exclude'], { cwd: copy });
  commitAll('the repository before generating');
};

beforeAll(() => copyRepository());
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** Each refusal: the arguments, and what the message must say. */
const expectRefused = async (cases: ReadonlyArray<readonly [string[], RegExp]>): Promise<void> => {
  for (const [args, message] of cases) {
    const result = await generate(...args);
    expect({ args, code: result.code, refused: message.test(result.output) }).toEqual({ args, code: 1, refused: true });
    expect(result.output).toMatch(/Nothing was written/);
    expect(git('status', '--porcelain')).toBe('');
  }
};

describe('npm run generate, on a copy of the repository', () => {
  it('refuses bad names and names taken, saying why, and writes nothing', async () => {
    await expectRefused([
      [['context'], /missing the context name/],
      [['context', 'Shipping'], /"Shipping" is not a valid context name/],
      [['context', 'ship_ping'], /not a valid context name/],
      [['context', '9lives'], /not a valid context name/],
      [['context', 'core'], /"core" is a reserved name/],
      [['context', 'platform'], /reserved name/],
      [['context', 'generated'], /reserved name/],
      [['context', 'inventory'], /src\/inventory exists already/],
      [['context', 'catalog', '--aggregate', 'Product'], /resource PRODUCT exists already/],
      [['context', 'orders', '--aggregate', 'order'], /"order" is not a valid aggregate name/],
      [['command', 'inventory', 'RestockProduct'], /src\/inventory was not made by `generate context`/],
      [['command', 'nowhere', 'ShipIt'], /there is no context src\/nowhere/],
      [['frobnicate'], /unknown generator "frobnicate"/],
    ]);
  });

  it('only lists what it would change with --dry-run', async () => {
    const output = await mustSucceed(process.execPath, ['scripts/generate.ts', 'context', 'billing', '--dry-run']);

    expect(output).toContain('would create  src/billing/domain/billing.ts');
    expect(output).toContain('would change  src/bootstrap.ts');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('generates a context, wired into the shell, with its own resource granted to the administrator', async () => {
    await mustSucceed(process.execPath, ['scripts/generate.ts', 'context', 'shipping', '--aggregate', 'Shipment']);

    expect(existsSync(join(copy, 'src/shipping/domain/shipment.ts'))).toBe(true);
    expect(inCopy('src/core/access.ts')).toContain("'JOB', 'SHIPMENT'] as const");
    expect(inCopy('migrations/current.sql')).toMatch(
      /create table if not exists shipments[\s\S]*"resource":"SHIPMENT"/,
    );
    commitAll('shipping');
  });

  it('then refuses the names the context took, writing nothing', async () => {
    await expectRefused([
      [['context', 'shipping'], /src\/shipping exists already/],
      [['context', 'shipments', '--aggregate', 'Shipment'], /resource SHIPMENT exists already/],
      [['command', 'shipping', 'dispatchShipment'], /"dispatchShipment" is not a valid command name/],
      [['command', 'shipping', 'CreateShipment'], /already has a command CreateShipment/],
      [['command', 'shipping', 'Restock', '--event', 'ShipmentCreated'], /already has a message named ShipmentCreated/],
    ]);
  });

  it('adds commands, and a second context next to the first', async () => {
    await mustSucceed(process.execPath, [
      'scripts/generate.ts',
      'command',
      'shipping',
      'DispatchShipment',
      '--no-codegen',
    ]);
    commitAll('DispatchShipment');
    await expectRefused([[['command', 'shipping', 'DispatchShipment'], /already has a command DispatchShipment/]]);
    await mustSucceed(process.execPath, ['scripts/generate.ts', 'context', 'orders', '--no-codegen']);
    await mustSucceed(process.execPath, ['scripts/generate.ts', 'command', 'orders', 'CancelOrder', '--no-codegen']);

    expect(inCopy('src/shipping/domain/events.ts')).toContain(
      'export type ShippingEvent = ShipmentCreated | ShipmentDispatched;',
    );
    expect(inCopy('src/core/access.ts')).toContain("'JOB', 'SHIPMENT', 'ORDER'] as const");
  });

  it('leaves code that passes codegen, the type-checker, the linter and the architecture rule', async () => {
    await npm('codegen');
    await npm('typecheck');
    await npm('lint');
  });

  it("passes the generated tests and the authorization matrix, on this run's Postgres", async () => {
    const server = process.env.KINGDOM_TEST_ADMIN_URL;
    if (!server)
      throw new Error('KINGDOM_TEST_ADMIN_URL is unset: run this through the e2e project (its globalSetup sets it)');
    const jestBin = join('node_modules', 'jest', 'bin', 'jest.js');
    const output = await mustSucceed(
      process.execPath,
      [
        '--experimental-vm-modules',
        jestBin,
        '--selectProjects',
        'unit',
        'integration',
        'e2e',
        '--testPathPatterns',
        '/shipping',
        '/orders',
        'authorization',
        'auth-directive',
        'role-repository',
      ],
      { TEST_DATABASE_URL: server },
    );

    for (const file of [
      'unit tests/unit/shipping/handlers.test.ts',
      'unit tests/unit/shipping/dispatch-shipment.test.ts',
      'integration tests/integration/shipping/shipment-repository.test.ts',
      'e2e tests/e2e/shipping.test.ts',
      'e2e tests/e2e/shipping-dispatch-shipment.test.ts',
      'unit tests/unit/orders/cancel-order.test.ts',
      'integration tests/integration/orders/order-repository.test.ts',
      'e2e tests/e2e/orders.test.ts',
      'e2e tests/e2e/authorization.test.ts',
    ]) {
      expect(output).toContain(`PASS ${file}`);
    }
  });
});
