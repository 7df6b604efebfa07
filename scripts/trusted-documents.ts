/**
 * `npm run trusted-documents`: writes the trusted documents manifest (persisted-query-manifest.json, Apollo's
 * persisted query list format) from the operations clients ship; `npm run trusted-documents:check` (part of
 * `npm run codegen:check`, so CI runs it) fails when the file is stale or an operation would be refused.
 *
 *   node scripts/trusted-documents.ts [--check] [--out FILE] SOURCE...
 *
 * SOURCE: a folder of .graphql documents, one such file, or a JSON manifest or persisted documents file
 * (scripts/trusted-documents/sources.ts). The sources of this repository are listed once, in package.json's
 * `trusted-documents` script. Every operation is validated as the production server would: against the schema,
 * without introspection, within the default GRAPHQL_MAX_* limits.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { prepareDocuments } from '../src/platform/graphql/trusted-documents/documents.ts';
import { DEFAULT_LIMITS, graphqlProtection } from '../src/platform/graphql/limits.ts';
import { createManifest, ManifestError, printManifest } from '../src/platform/graphql/trusted-documents/manifest.ts';
import { DEFAULT_MANIFEST_PATH } from '../src/platform/graphql/trusted-documents/settings.ts';
import { buildApplicationSchema } from '../src/schema.ts';
import { readSources } from './trusted-documents/sources.ts';

const USAGE = 'usage: node scripts/trusted-documents.ts [--check] [--out FILE] SOURCE...';

const fail = (lines: readonly string[]): never => {
  for (const line of lines) console.error(line);
  process.exit(1);
};

let check = false;
let out = DEFAULT_MANIFEST_PATH;
const sources: string[] = [];
const argv = process.argv.slice(2);
for (let index = 0; index < argv.length; index += 1) {
  const argument = argv[index]!;
  if (argument === '--check') check = true;
  else if (argument === '--out') out = argv[(index += 1)] ?? fail([USAGE]);
  else if (argument.startsWith('--')) fail([USAGE]);
  else sources.push(argument);
}
if (sources.length === 0) fail([USAGE]);

const { found, problems } = readSources(sources);
const manifest = createManifest(found.map((entry) => entry.operation));
const protection = graphqlProtection(DEFAULT_LIMITS, { hideSuggestions: true });
try {
  prepareDocuments(
    manifest.operations,
    {
      schema: buildApplicationSchema(),
      parseOptions: protection.parseOptions,
      validationRules: protection.validationRules,
      introspection: false,
    },
    'the production server would refuse',
  );
} catch (error) {
  if (!(error instanceof ManifestError)) throw error;
  problems.push(error.message);
}
if (problems.length > 0) fail(['trusted documents: nothing written', ...problems.map((problem) => `  ${problem}`)]);

const text = printManifest(manifest);
const shown = relative(process.cwd(), out).startsWith('..') ? out : relative(process.cwd(), out);
if (check) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    // missing: stale by definition
  }
  if (current !== text) fail([`${shown} is stale (or missing): run npm run trusted-documents and commit it`]);
  console.log(`${shown}: ${manifest.operations.length} operations, up to date`);
} else {
  writeFileSync(out, text);
  console.log(`${shown}: ${manifest.operations.length} operations from ${sources.join(', ')}`);
}
