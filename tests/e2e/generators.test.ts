/**
 * A bounded context is a module: adding one is new files plus one line in src/contexts.ts (and its table in
 * migrations/current.sql), removing one is deleting its folders and that line. Proven on copies of this repository,
 * so the real tree is never touched:
 * - the generators (scripts/generate.ts, docs/generators.md) refuse bad or taken names and leave the copy exactly as
 *   it was (its `git status` stays clean); a generated context and command change no existing file but those two,
 *   and pass Prettier, codegen, the type-checker, the linter with the architecture rule, their own unit, integration
 *   and end-to-end tests and the authorization matrix (whose rows they add in a file of their own), run by a child
 *   jest in the copy against this run's Postgres server;
 * - without the notifications context (its line and its folders deleted), the project still passes codegen, the
 *   type-checker and the linter, and its server starts and answers.
 */
import { jest } from '@jest/globals';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from './support/database.ts';
import {
  copyWorkingTree,
  gitIn,
  mustSucceedIn,
  runIn,
  serveFrom,
  type RepositoryCopy,
} from './support/repository-copy.ts';

// Copying, code generation, Prettier, tsc, eslint and a child jest, twice over: about a minute and a half.
jest.setTimeout(300_000);

/** codegen, the type-checker and the linter with the architecture rule, as CI runs them. */
const buildChecks = async (cwd: string): Promise<void> => {
  for (const script of ['codegen', 'typecheck', 'lint']) await mustSucceedIn(cwd, 'npm', ['run', '-s', script]);
};

describe('npm run generate, on a copy of the repository', () => {
  let copy: RepositoryCopy;
  let base = '';
  const git = (...args: string[]) => gitIn(copy.root)(...args);
  const generate = (...args: string[]) => runIn(copy.root, process.execPath, ['scripts/generate.ts', ...args]);
  const mustGenerate = (...args: string[]) =>
    mustSucceedIn(copy.root, process.execPath, ['scripts/generate.ts', ...args]);
  const inCopy = (path: string) => readFileSync(join(copy.root, path), 'utf8');
  /** After a generator ran: what it wrote becomes the base that a refused run must leave untouched. */
  const commitAll = (message: string): void => {
    git('add', '-A');
    git('commit', '-q', '--no-gpg-sign', '-m', message);
  };
  /** Files added (A), modified (M) or deleted (D) since the copy was made, by status. */
  const changedSinceCopied = (): Record<string, string[]> => {
    const changes: Record<string, string[]> = {};
    for (const line of git('diff', '--name-status', base, 'HEAD').split('\n').filter(Boolean)) {
      const [status = '', path = ''] = line.split('\t');
      (changes[status] ??= []).push(path);
    }
    return changes;
  };

  beforeAll(async () => {
    copy = await copyWorkingTree('kingdom-generators-');
    base = git('rev-parse', 'HEAD').trim();
  });
  afterAll(async () => copy?.remove());

  /** Each refusal: the arguments, and what the message must say. */
  const expectRefused = async (cases: ReadonlyArray<readonly [string[], RegExp]>): Promise<void> => {
    for (const [args, message] of cases) {
      const result = await generate(...args);
      expect({ args, code: result.code, refused: message.test(result.output) }).toEqual({
        args,
        code: 1,
        refused: true,
      });
      expect(result.output).toMatch(/Nothing was written/);
      expect(git('status', '--porcelain')).toBe('');
    }
  };

  it('refuses bad names and names taken, saying why, and writes nothing', async () => {
    await expectRefused([
      [['context'], /missing the context name/],
      [['context', 'Shipping'], /"Shipping" is not a valid context name/],
      [['context', 'ship_ping'], /not a valid context name/],
      [['context', '9lives'], /not a valid context name/],
      [['context', 'core'], /"core" is a reserved name/],
      [['context', 'platform'], /reserved name/],
      [['context', 'contexts'], /reserved name/],
      [['context', 'inventory'], /src\/inventory exists already/],
      [['context', 'catalog', '--aggregate', 'Product'], /resource PRODUCT exists already/],
      [['context', 'orders', '--aggregate', 'order'], /"order" is not a valid aggregate name/],
      [['command', 'inventory', 'RestockProduct'], /src\/inventory was not made by `generate context`/],
      [['command', 'nowhere', 'ShipIt'], /there is no context src\/nowhere/],
      [['frobnicate'], /unknown generator "frobnicate"/],
    ]);
  });

  it('only lists what it would change with --dry-run', async () => {
    const output = await mustGenerate('context', 'billing', '--dry-run');

    expect(output).toContain('would create  src/billing/module.ts');
    expect(output).toContain('would change  src/contexts.ts');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('adds a context as new files, one line in the list of contexts and its table in the migration', async () => {
    await mustSucceedIn(copy.root, process.execPath, ['scripts/generate.ts', 'context', 'warehouse', '--no-codegen']);
    commitAll('warehouse');

    const changes = changedSinceCopied();
    expect({ modified: changes.M, deleted: changes.D }).toEqual({
      modified: ['migrations/current.sql', 'src/contexts.ts'],
      deleted: undefined,
    });
    expect(changes.A).toEqual(
      expect.arrayContaining([
        'src/warehouse/module.ts',
        'src/warehouse/domain/warehouse.ts',
        'src/warehouse/entrypoints/subscriptions.ts',
        'schema/warehouse.graphql',
        'tests/e2e/authorization/warehouse.ts',
        'tests/e2e/warehouse.test.ts',
      ]),
    );
    expect(inCopy('src/contexts.ts')).toContain("import { warehouse } from './warehouse/module.ts';");
    expect(inCopy('src/contexts.ts')).toMatch(/export const contexts = \[[^\]]*, warehouse\] as const;/);
    expect(inCopy('schema/warehouse.graphql')).toMatch(/extend enum Resource \{[^}]*WAREHOUSE\s*\}/);
    expect(inCopy('schema/warehouse.graphql')).toContain('warehouseChanged(reference: String!): Warehouse @auth');
    expect(inCopy('migrations/current.sql')).toMatch(
      /create table if not exists warehouses[\s\S]*"resource":"WAREHOUSE"/,
    );
  });

  it('then refuses the names the context took, writing nothing', async () => {
    await expectRefused([
      [['context', 'warehouse'], /src\/warehouse exists already/],
      [['context', 'depots', '--aggregate', 'Warehouse'], /resource WAREHOUSE exists already/],
      [['command', 'warehouse', 'openDock'], /"openDock" is not a valid command name/],
      [['command', 'warehouse', 'CreateWarehouse'], /already has a command CreateWarehouse/],
      [
        ['command', 'warehouse', 'Restock', '--event', 'WarehouseCreated'],
        /already has a message named WarehouseCreated/,
      ],
    ]);
  });

  it("adds a command by changing only its context's own files (and codegen's output)", async () => {
    await mustGenerate('command', 'warehouse', 'OpenDock');
    commitAll('OpenDock');

    const changes = changedSinceCopied();
    expect({ modified: changes.M, deleted: changes.D }).toEqual({
      // The generated files are codegen's output, regenerated from the SDL (the generator runs `npm run codegen`):
      // the resolver types, and the typed documents of the tests and examples, which carry the schema's types.
      modified: [
        'migrations/current.sql',
        'src/contexts.ts',
        'src/generated/graphql.ts',
        'tests/generated/examples/graphql.ts',
        'tests/generated/gql.ts',
        'tests/generated/graphql.ts',
      ],
      deleted: undefined,
    });
    expect(inCopy('tests/e2e/authorization/warehouse.ts')).toContain("'Mutation.openDock'");
    // Its event feeds the aggregate's subscription.
    expect(inCopy('src/warehouse/entrypoints/subscriptions.ts')).toMatch(
      /WarehouseCreated: changed,\s+DockOpened: changed,/,
    );
    await expectRefused([[['command', 'warehouse', 'OpenDock'], /already has a command OpenDock/]]);
  });

  it('adds a second context and its command next to the first', async () => {
    await mustGenerate('context', 'orders', '--no-codegen');
    await mustGenerate('command', 'orders', 'CancelOrder', '--no-codegen');

    expect(inCopy('src/contexts.ts')).toMatch(/export const contexts = \[[^\]]*, warehouse, orders\] as const;/);
    expect(inCopy('src/orders/domain/events.ts')).toContain('export type OrdersEvent = OrderCreated | OrderCanceled;');
  });

  it('leaves code that passes Prettier, codegen, the type-checker, the linter and the architecture rule', async () => {
    git('add', '-A');
    const written = git('diff', '--cached', '--name-only', '--diff-filter=AM', base).split('\n').filter(Boolean);
    await mustSucceedIn(copy.root, join('node_modules', '.bin', 'prettier'), [
      '--check',
      '--ignore-unknown',
      ...written,
    ]);
    await buildChecks(copy.root);
  });

  it("passes the generated tests and the authorization matrix with their rows, on this run's Postgres", async () => {
    const server = process.env.KINGDOM_TEST_ADMIN_URL;
    if (!server)
      throw new Error('KINGDOM_TEST_ADMIN_URL is unset: run this through the e2e project (its globalSetup sets it)');
    const jestBin = join('node_modules', 'jest', 'bin', 'jest.js');
    const output = await mustSucceedIn(
      copy.root,
      process.execPath,
      [
        '--experimental-vm-modules',
        jestBin,
        '--selectProjects',
        'unit',
        'integration',
        'e2e',
        '--testPathPatterns',
        '/warehouse',
        '/orders',
        'authorization',
        'auth-directive',
        'role-repository',
      ],
      { TEST_DATABASE_URL: server },
    );

    for (const file of [
      'unit tests/unit/warehouse/handlers.test.ts',
      'unit tests/unit/warehouse/open-dock.test.ts',
      'integration tests/integration/warehouse/warehouse-repository.test.ts',
      'e2e tests/e2e/warehouse.test.ts',
      'e2e tests/e2e/warehouse-open-dock.test.ts',
      'unit tests/unit/orders/cancel-order.test.ts',
      'integration tests/integration/orders/order-repository.test.ts',
      'e2e tests/e2e/orders.test.ts',
      'e2e tests/e2e/authorization.test.ts',
      'integration tests/integration/access/role-repository.test.ts',
    ]) {
      expect(output).toContain(`PASS ${file}`);
    }
  });
});

describe('a copy without the notifications context', () => {
  let copy: RepositoryCopy;
  afterAll(async () => copy?.remove());

  /** Deletes a context the way docs/how-to/add-a-context.md says: its line in the list, and its folders. */
  const removeContext = (name: string): void => {
    const list = join(copy.root, 'src/contexts.ts');
    const before = readFileSync(list, 'utf8');
    const after = before
      .replace(new RegExp(`^import \\{ ${name} \\} from '\\./${name}/module\\.ts';\\n`, 'm'), '')
      .replace(new RegExp(`(\\[[^\\]]*?)(?:, ${name}\\b|\\b${name}, )`), '$1');
    if (new RegExp(`\\b${name}\\b`).test(after)) throw new Error(`src/contexts.ts still names ${name}:\n${after}`);
    writeFileSync(list, after);
    const folders = ['src', 'tests/unit', 'tests/integration', 'tests/e2e', 'tests/fakes'].map((at) => `${at}/${name}`);
    for (const path of [...folders, `schema/${name}.graphql`, `tests/e2e/authorization/${name}.ts`]) {
      rmSync(join(copy.root, path), { recursive: true, force: true });
    }
  };

  beforeAll(async () => {
    copy = await copyWorkingTree('kingdom-without-notifications-');
    removeContext('notifications');
  });

  it('is its folders deleted and its line taken out of the list, and then passes codegen, tsc and the linter', async () => {
    const git = gitIn(copy.root);
    git('add', '-A');
    const changes = git('diff', '--cached', '--name-status', 'HEAD').split('\n').filter(Boolean);
    expect(changes.filter((line) => !line.startsWith('D\t'))).toEqual(['M\tsrc/contexts.ts']);
    expect(changes).toContain('D\tsrc/notifications/module.ts');

    await buildChecks(copy.root);
  });

  it('starts its server, which answers GraphQL', async () => {
    const database = await createTestDatabase();
    const server = await serveFrom(copy.root, database.url).catch(async (error: unknown) => {
      await database.drop();
      throw error;
    });
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });

      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});
