/**
 * `npm run generate -- <generator> ...`: scaffolds code that follows the architecture (docs/generators.md).
 *
 *   npm run generate -- context <name> [--aggregate <Name>]     a bounded context, e.g. `context shipping --aggregate Shipment`
 *   npm run generate -- command <context> <Name> [--event <Name>]   a command of a generated context
 *
 * A context is new files plus one line in src/contexts.ts (and its table in migrations/current.sql); a command changes
 * only its context's files. Every change is computed in memory first: a bad or taken name stops the generator
 * before it writes anything. Then it writes (formatted by Prettier), and regenerates src/generated/graphql.ts
 * (`npm run codegen`) unless `--no-codegen`. `--dry-run` lists what would change and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { planCommand } from './generator/command.ts';
import { planContext } from './generator/context.ts';
import { GeneratorError } from './generator/names.ts';
import { Workspace, type Change } from './generator/workspace.ts';

const USAGE = `usage:
  npm run generate -- context <name> [--aggregate <Name>] [--dry-run] [--no-codegen]
  npm run generate -- command <context> <Name> [--event <Name>] [--dry-run] [--no-codegen]
see docs/generators.md`;

type Options = { aggregate?: string; event?: string; dryRun: boolean; codegen: boolean; help: boolean };

const parse = (argv: readonly string[]): { positional: string[]; options: Options } => {
  const positional: string[] = [];
  const options: Options = { dryRun: false, codegen: true, help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    const [flag, inline] = argument.startsWith('--') ? argument.split('=', 2) : [argument, undefined];
    const value = (): string => {
      const given = inline ?? argv[(index += 1)];
      if (!given || given.startsWith('--')) throw new GeneratorError(`${flag} needs a value`);
      return given;
    };
    if (flag === '--aggregate') options.aggregate = value();
    else if (flag === '--event') options.event = value();
    else if (flag === '--dry-run') options.dryRun = true;
    else if (flag === '--no-codegen') options.codegen = false;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (argument.startsWith('-')) throw new GeneratorError(`unknown option ${argument}`);
    else positional.push(argument);
  }
  return { positional, options };
};

const runCodegen = (root: string): boolean => {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.yml'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status === 0) return true;
  process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  console.error('generate: the files are written, but `npm run codegen` failed (output above)');
  process.exitCode = 1;
  return false;
};

const report = (changes: readonly Change[], dryRun: boolean): string =>
  changes.map(({ path, created }) => `  ${dryRun ? 'would ' : ''}${created ? 'create' : 'change'}  ${path}`).join('\n');

const main = async (argv: readonly string[]): Promise<void> => {
  const { positional, options } = parse(argv);
  const [generator, ...args] = positional;
  if (options.help || !generator) {
    console.log(USAGE);
    if (!options.help) process.exitCode = 1;
    return;
  }
  const root = join(import.meta.dirname, '..');
  const workspace = new Workspace(root);
  let summary: string;
  let next: string;
  if (generator === 'context') {
    if (options.event) throw new GeneratorError('--event belongs to `generate command`');
    const n = planContext(workspace, args, { aggregate: options.aggregate });
    summary = `the context ${n.context}: aggregate ${n.Aggregate}, resource ${n.resource}, table ${n.table}`;
    next = `npm run generate -- command ${n.context} <Name> adds commands; docs/generators.md says how to go on.`;
  } else if (generator === 'command') {
    if (options.aggregate) throw new GeneratorError('--aggregate belongs to `generate context`');
    const { context, command } = planCommand(workspace, args, { event: options.event });
    summary = `the command ${command.Command} of ${context.context} (mutation ${command.command}, event ${command.Event})`;
    next = `the rule goes in src/${context.context}/domain/${context.file}.ts (${command.command}), its input in the SDL.`;
  } else {
    throw new GeneratorError(`unknown generator "${generator}": context or command`);
  }
  if (options.dryRun) {
    console.log(`generate: would add ${summary}\n${report(workspace.changes(), true)}`);
    return;
  }
  const changes = await workspace.write();
  console.log(`generate: added ${summary}\n${report(changes, false)}`);
  if (options.codegen) {
    if (!runCodegen(root)) return;
    console.log('  regenerated src/generated/graphql.ts (npm run codegen)');
  }
  console.log(`\nNext: npm run typecheck && npm run lint && npm test; ${next}`);
};

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof GeneratorError)) throw error;
  console.error(`generate: ${error.message}\nNothing was written.\n\n${USAGE}`);
  process.exitCode = 1;
}
