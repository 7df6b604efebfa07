/**
 * The documentation cannot rot: README.md and docs/**\/*.md are read here, and
 * - every `npm run <script>` / `npm <command>` they mention (in inline code or a code block) names a script of
 *   package.json, or one of the few npm commands listed below;
 * - every command of every shell code block is on RUN_BY below, which names the test or CI step that actually
 *   runs it (this file checks that that file exists and really contains it), or is a standard tool (SHELL_TOOLS);
 * - every executable GraphQL block (an operation, not SDL) is valid against the server's schema;
 * - every relative link, and its #anchor, resolves (links into bench/, an optional workspace, only while it exists);
 * - every code block says its language, so a shell block cannot hide as plain text.
 *
 * Exempt, on purpose: `sql` blocks (run by hand in psql against your own database; the tables and functions they
 * name are those the e2e tests exercise), `graphql` SDL excerpts (they show a part of a type, often with "..."),
 * `ts` excerpts (the compiler checks the real code they come from), `yaml` (AWS configuration), `mermaid`
 * (diagrams) and `text`.
 */
import { existsSync, globSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse, validate } from 'graphql';
import { buildApplicationSchema } from '../../src/schema.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const MARKDOWN = ['README.md', ...globSync('docs/**/*.md', { cwd: ROOT }).sort()];
const SCRIPTS = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

/**
 * Who runs each documented command. A command matches the longest entry its words start with
 * (`npm run db:commit -- --message x` is `npm run db:commit`). `shows`: text the runner contains, proving it runs
 * it. `script`: the package.json script the runner executes directly (the test spawns its body, e.g.
 * `node scripts/dev.ts`), checked so that the two cannot drift apart.
 */
/** Every script that runs TypeScript checks the Node version first (scripts/check-node-version.cjs). */
const CHECKED = 'node --require ./scripts/check-node-version.cjs';

type Runner = { readonly file: string; readonly shows: string; readonly script?: string; readonly note?: string };
const RUN_BY: Readonly<Record<string, Runner>> = {
  'npm install': {
    file: '.ci/run',
    shows: 'step "install" warning_free npm ci',
    note: 'npm ci is npm install held to package-lock.json: what a fresh clone gets',
  },
  'npm ci': {
    file: '.ci/run',
    shows: 'step "install" warning_free npm ci',
    note: '--omit=dev only leaves devDependencies out (the Dockerfile runtime stage, tests/unit/deployment-files.test.ts)',
  },
  'npm start': {
    file: 'tests/e2e/process.test.ts',
    shows: '`npm start` with no environment at all',
    script: `${CHECKED} src/main.ts`,
  },
  'npm test': { file: '.ci/run', shows: 'step "test" warning_free npm test' },
  'npm run typecheck': { file: '.ci/run', shows: 'step "typecheck" npm run typecheck' },
  'npm run lint': { file: '.ci/run', shows: 'step "lint" npm run lint' },
  'npm run test:mutation': {
    file: '.ci/run',
    shows: 'step "mutation" npm run test:mutation',
    script: `${CHECKED} scripts/mutation.ts`,
    note: '--refresh-baseline is the same run, then writes the baseline it read (scripts/mutation.ts)',
  },
  'npm run codegen': {
    file: 'tests/e2e/dev.test.ts',
    shows: '[codegen] src/generated/graphql.ts is up to date with schema/',
    script: 'graphql-codegen --config codegen.yml',
    note: 'scripts/dev.ts runs the codegen script at start and on every SDL change; the test sees both',
  },
  'npm run dev': { file: 'tests/e2e/dev.test.ts', shows: "['scripts/dev.ts']", script: `${CHECKED} scripts/dev.ts` },
  'npm run db:seed': {
    file: 'tests/e2e/seed.test.ts',
    shows: "['scripts/db.ts', 'seed']",
    script: `${CHECKED} scripts/db.ts seed`,
  },
  'npm run db:watch': {
    file: 'tests/e2e/dev-scripts.test.ts',
    shows: "['scripts/db.ts', 'watch']",
    script: `${CHECKED} scripts/db.ts watch`,
  },
  'npm run db:migrate': {
    file: 'tests/e2e/dev-scripts.test.ts',
    shows: "db('migrate')",
    script: `${CHECKED} scripts/db.ts migrate`,
  },
  'npm run db:status': {
    file: 'tests/e2e/dev-scripts.test.ts',
    shows: "db('status')",
    script: `${CHECKED} scripts/db.ts status`,
  },
  'npm run db:commit': {
    file: 'tests/e2e/dev-scripts.test.ts',
    shows: "db('commit', '--message'",
    script: `${CHECKED} scripts/db.ts commit`,
  },
  'npm run db:reset': {
    file: 'tests/e2e/dev-scripts.test.ts',
    shows: "db('reset', '--erase')",
    script: `${CHECKED} scripts/db.ts reset --erase`,
  },
  'node scripts/db.ts uncommit': { file: 'tests/e2e/dev-scripts.test.ts', shows: "db('uncommit')" },
  'npm run build': { file: 'tests/e2e/dev-scripts.test.ts', shows: "run('npm', ['run', 'build']" },
  'npm run generate': {
    file: 'tests/e2e/generators.test.ts',
    shows: "['scripts/generate.ts', 'context'",
    script: `${CHECKED} scripts/generate.ts`,
  },
  'npm run trusted-documents': {
    file: 'tests/e2e/trusted-documents-script.test.ts',
    shows: "['scripts/trusted-documents.ts', ...args]",
    script: 'node --require ./scripts/check-node-version.cjs scripts/trusted-documents.ts examples',
  },
  'npm run trusted-documents:check': {
    file: 'tests/e2e/trusted-documents-script.test.ts',
    shows: "script('examples', '--check')",
    script: 'npm run trusted-documents -- --check',
    note: 'codegen:check runs it in CI (the same test checks that the codegen:check script ends with it)',
  },
  'node examples/subscriptions/subscribe.ts': {
    file: 'tests/e2e/subscriptions/examples.test.ts',
    shows: "['examples/subscriptions/subscribe.ts', `examples/subscriptions/${file}`]",
  },
  'rover supergraph compose': {
    file: 'tests/e2e/federation/router.ts',
    shows: 'as `rover supergraph compose --config supergraph.yaml` composes it',
    note: 'rover is a binary from Apollo, not installed here: the test composes the same supergraph.yaml with @apollo/composition, the library rover runs, at the version the file pins',
  },
  'rover subgraph introspect': {
    file: 'tests/e2e/federation/router.ts',
    shows: "body: JSON.stringify({ query: '{ _service { sdl } }' })",
    note: 'the query rover sends to a subgraph, with the same secret header',
  },
  router: {
    file: 'tests/e2e/federation/router.ts',
    shows: "Sets a subgraph request's headers by router.yaml's rules",
    note: 'Apollo Router is a binary, not installed here: @apollo/gateway runs with the same router.yaml header rules',
  },
  'npm run worker': {
    file: 'tests/e2e/support/worker-process.ts',
    shows: "'src/worker.ts'",
    script: `${CHECKED} src/worker.ts`,
  },
};

/** Standard tools that only move files around the project commands next to them: nothing of ours to run. */
const SHELL_TOOLS = new Set(['cd', 'cp', 'mktemp', 'zip']);

/** npm's own commands the docs may use; anything else after `npm` must be `run <script>`. */
const NPM_COMMANDS: Readonly<Record<string, string | null>> = { install: null, ci: null, start: 'start', test: 'test' };

const SHELL = new Set(['sh', 'bash', 'shell', 'console']);
const EXEMPT = new Set(['sql', 'ts', 'yaml', 'mermaid', 'text', 'json']);

type Block = { readonly file: string; readonly line: number; readonly lang: string; readonly body: string };

/** Fenced code blocks (also indented inside list items) and the text outside them. */
const split = (file: string): { blocks: Block[]; prose: string } => {
  const blocks: Block[] = [];
  const prose: string[] = [];
  let open: { indent: number; lang: string; line: number; body: string[] } | undefined;
  read(file)
    .split('\n')
    .forEach((text, index) => {
      const fence = /^(\s*)```\s*([\w-]*)\s*$/.exec(text);
      if (open) {
        if (fence) {
          blocks.push({ file, line: open.line, lang: open.lang, body: open.body.join('\n') });
          open = undefined;
        } else open.body.push(text.slice(Math.min(open.indent, text.search(/\S|$/))));
      } else if (fence) open = { indent: fence[1]!.length, lang: fence[2]!, line: index + 1, body: [] };
      else prose.push(text);
    });
  if (open) throw new Error(`${file}:${open.line}: code block never closed`);
  return { blocks, prose: prose.join('\n') };
};

const DOCS = MARKDOWN.map(split);
const BLOCKS = DOCS.flatMap((doc) => doc.blocks);
const where = (block: Block): string => `${block.file}:${block.line}`;

/** The simple commands of a shell block: comments, `$ ` prompts, redirections and assignments removed. */
const commandsOf = (body: string): string[][] => {
  const substitutions: string[] = [];
  const joined = body
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/^\s*\$ /, '').replace(/(^|\s)#.*$/, ''))
    .join('\n')
    .replace(/\$\(([^()]*)\)/g, (_match, inner: string) => {
      substitutions.push(inner);
      return 'SUBSTITUTED';
    });
  return [joined, ...substitutions]
    .flatMap((text) => text.split(/&&|\|\||[;|()\n]/))
    .map((command) =>
      command
        .replace(/\d*>>?\s*\S+/g, '')
        .trim()
        .split(/\s+/)
        .filter(Boolean),
    )
    .map((words) => words.slice(words.findIndex((word) => !/^[A-Z_][A-Z0-9_]*=|^[a-z_]+=/.test(word))))
    .filter((words) => words.length > 0 && !/^[A-Za-z_]\w*=/.test(words[0]!));
};

const runnerOf = (words: readonly string[]): string | undefined =>
  Object.keys(RUN_BY)
    .filter((entry) => entry.split(' ').every((word, index) => words[index] === word))
    .sort((a, b) => b.length - a.length)[0];

const SHELL_COMMANDS = BLOCKS.filter((block) => SHELL.has(block.lang)).flatMap((block) =>
  commandsOf(block.body).map((words) => ({ block, words })),
);

describe('the documentation', () => {
  it('is README.md and docs/, and its shell blocks have commands to check', () => {
    expect(MARKDOWN).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'docs/troubleshooting.md']));
    expect(SHELL_COMMANDS.length).toBeGreaterThan(20);
  });

  it('labels every code block with its language', () => {
    const unknown = BLOCKS.filter(
      (block) => !SHELL.has(block.lang) && !EXEMPT.has(block.lang) && block.lang !== 'graphql',
    );
    expect(unknown.map((block) => `${where(block)} \`\`\`${block.lang}`)).toEqual([]);
  });

  it('mentions only npm scripts that package.json has, and only npm commands we allow', () => {
    const texts = [
      ...DOCS.flatMap((doc) => [...doc.prose.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)),
      ...BLOCKS.filter((block) => SHELL.has(block.lang)).map((block) => block.body),
    ];
    const problems: string[] = [];
    for (const text of texts) {
      for (const [, name] of text.matchAll(/\bnpm\s+run(?:-script)?\s+(?:-s\s+|--silent\s+)?([\w:.*<>-]+)/g)) {
        const exists = name!.includes('*')
          ? Object.keys(SCRIPTS).some((script) => script.startsWith(name!.replace(/\*.*$/, '')))
          : Object.hasOwn(SCRIPTS, name!);
        if (!exists) problems.push(`npm run ${name}: no such script in package.json`);
      }
      for (const [, command] of text.matchAll(/\bnpm\s+(?!run\b|run-script\b)([a-z][\w-]*)/g)) {
        if (!Object.hasOwn(NPM_COMMANDS, command!))
          problems.push(`npm ${command}: not an npm command the docs may use`);
        const script = NPM_COMMANDS[command!];
        if (script && !Object.hasOwn(SCRIPTS, script))
          problems.push(`npm ${command}: package.json has no "${script}" script`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows only shell commands that a test or CI step runs (RUN_BY) or standard tools (SHELL_TOOLS)', () => {
    const unlisted = SHELL_COMMANDS.filter(({ words }) => !runnerOf(words) && !SHELL_TOOLS.has(words[0]!)).map(
      ({ block, words }) => `${where(block)}: ${words.join(' ')}`,
    );
    expect(unlisted).toEqual([]);
  });

  describe.each(Object.entries(RUN_BY))('`%s`', (command, runner) => {
    it(`is run by ${runner.file}`, () => {
      expect(existsSync(join(ROOT, runner.file))).toBe(true);
      expect(read(runner.file)).toContain(runner.shows);
    });

    if (runner.script) {
      it('runs exactly the package.json script the docs name', () => {
        const name = command === 'npm start' ? 'start' : command.replace(/^npm run /, '');
        expect(SCRIPTS[name]).toBe(runner.script);
      });
    }

    it('is still shown by the docs (no stale entry)', () => {
      expect(SHELL_COMMANDS.some(({ words }) => runnerOf(words) === command)).toBe(true);
    });
  });

  it('shows only GraphQL operations that are valid against the schema', () => {
    const schema = buildApplicationSchema();
    const operations = BLOCKS.filter(
      (block) =>
        block.lang === 'graphql' &&
        /^\s*(?:#[^\n]*\n\s*)*(?:\{|query\b|mutation\b|subscription\b|fragment\b)/.test(block.body),
    );
    expect(operations.length).toBeGreaterThan(10);
    const problems = operations.flatMap((block) => {
      try {
        return validate(schema, parse(block.body)).map((error) => `${where(block)}: ${error.message}`);
      } catch (error) {
        return [`${where(block)}: ${(error as Error).message}`];
      }
    });
    expect(problems).toEqual([]);
  });

  /** Folders a project may delete as a whole (npm workspaces): links into one are checked only while it exists. */
  const OPTIONAL_FOLDERS = ['bench'];
  const inDeletedFolder = (path: string): boolean =>
    OPTIONAL_FOLDERS.some((folder) => path.startsWith(`${folder}/`) && !existsSync(join(ROOT, folder)));

  it('links only to files and headings that exist', () => {
    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    const anchorsOf = (file: string): Set<string> =>
      new Set(
        split(file)
          .prose.split('\n')
          .filter((line) => /^#{1,6}\s/.test(line))
          .map((line) =>
            line
              .replace(/^#+\s*/, '')
              .trim()
              .toLowerCase()
              .replace(/[^\p{L}\p{N}\s_-]/gu, '')
              .replace(/\s/g, '-'),
          ),
      );
    const problems: string[] = [];
    MARKDOWN.forEach((file, index) => {
      for (const [, target] of DOCS[index]!.prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue; // https:, mailto:
        const [path, anchor] = target!.split('#');
        const linked = path ? relative(ROOT, resolve(ROOT, dirname(file), path)) : file;
        if (inDeletedFolder(linked)) continue;
        if (!existsSync(join(ROOT, linked))) problems.push(`${file}: ${target} (no such file)`);
        else if (anchor && linked.endsWith('.md') && !anchorsOf(linked).has(anchor)) {
          problems.push(`${file}: ${target} (no such heading)`);
        }
      }
    });
    expect(problems).toEqual([]);
  });
});
