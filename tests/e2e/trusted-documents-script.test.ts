/**
 * `npm run trusted-documents` (scripts/trusted-documents.ts): the manifest written from the operations clients
 * ship, checked by `npm run trusted-documents:check` in CI. Run as a process, like CI runs it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../../src/platform/repository-root.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `node scripts/trusted-documents.ts ...args`, from the repository root: its exit code and output. */
const script = (...args: string[]): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/trusted-documents.ts', ...args], { cwd: repositoryRoot });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });

const A =
  '# a client document, comments and all\nquery ProductSkus {\n  products(first: 5) { edges { node { sku } } }\n}\n';
const B = 'mutation LogOut($input: LogOutInput!) {\n  logOut(input: $input)\n}\n';
const APOLLO_BODY = 'query Viewer {\n  viewer {\n    id\n    __typename\n  }\n}';
const PRESET_BODY = 'query RoleNames { roles(first: 10) { edges { node { name } } } }';

const workspace = () => {
  const root = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
  mkdirSync(join(root, 'web', 'nested'), { recursive: true });
  writeFileSync(join(root, 'web', 'products.graphql'), A);
  writeFileSync(join(root, 'web', 'nested', 'log-out.gql'), B);
  writeFileSync(join(root, 'web', 'notes.md'), 'not a document');
  const apollo = {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [{ id: sha256(APOLLO_BODY), name: 'Viewer', type: 'query', body: APOLLO_BODY }],
  };
  writeFileSync(join(root, 'apollo-manifest.json'), JSON.stringify(apollo));
  writeFileSync(join(root, 'persisted-documents.json'), JSON.stringify({ [sha256(PRESET_BODY)]: PRESET_BODY }));
  return root;
};

describe('npm run trusted-documents', () => {
  test('the repository’s manifest is up to date with examples/ (what `npm run trusted-documents:check` runs)', async () => {
    const scripts = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')).scripts;
    expect(scripts['trusted-documents']).toBe(
      'node --require ./scripts/check-node-version.cjs scripts/trusted-documents.ts examples',
    );
    expect(scripts['trusted-documents:check']).toBe('npm run trusted-documents -- --check');
    expect(scripts['codegen:check']).toMatch(/&& npm run trusted-documents:check$/);

    const checked = await script('examples', '--check');

    expect(checked).toEqual({ code: 0, output: 'persisted-query-manifest.json: 16 operations, up to date\n' });
  });

  test('writes one entry per operation from folders, Apollo manifests and client preset files, bodies as sent', async () => {
    const root = workspace();
    const out = join(root, 'manifest.json');

    const written = await script(
      join(root, 'web'),
      join(root, 'apollo-manifest.json'),
      join(root, 'persisted-documents.json'),
      '--out',
      out,
    );

    expect(written.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        { id: sha256(B), name: 'LogOut', type: 'mutation', body: B },
        { id: sha256(A), name: 'ProductSkus', type: 'query', body: A },
        { id: sha256(PRESET_BODY), name: 'RoleNames', type: 'query', body: PRESET_BODY },
        { id: sha256(APOLLO_BODY), name: 'Viewer', type: 'query', body: APOLLO_BODY },
      ],
    });
    expect(
      await script(
        join(root, 'web'),
        join(root, 'apollo-manifest.json'),
        join(root, 'persisted-documents.json'),
        '--out',
        out,
        '--check',
      ),
    ).toMatchObject({ code: 0 });
  });

  test('--check fails when a source changed since the manifest was written', async () => {
    const root = workspace();
    const out = join(root, 'manifest.json');
    expect((await script(join(root, 'web'), '--out', out)).code).toBe(0);

    writeFileSync(join(root, 'web', 'products.graphql'), A.replace('first: 5', 'first: 6'));
    const checked = await script(join(root, 'web'), '--out', out, '--check');

    expect(checked.code).toBe(1);
    expect(checked.output).toMatch(/manifest\.json is stale \(or missing\): run npm run trusted-documents/);
  });

  test.each([
    ['an anonymous operation', '{ viewer { id } }', /has no name; name it/],
    ['two operations in one document', 'query A { viewer { id } }\nquery B { viewer { id } }', /holds 2 operations/],
    [
      'a field the schema does not have',
      'query Secret { secret }',
      /Secret \([0-9a-f]{64}\): Cannot query field "secret"/,
    ],
    ['introspection (production refuses it)', 'query Types { __schema { types { name } } }', /introspection/i],
    [
      'a second body under a taken name',
      'query ProductSkus { products(first: 1) { totalCount } }',
      /another operation is named ProductSkus/,
    ],
  ])('refuses %s, and writes nothing', async (_case, document, problem) => {
    const root = workspace();
    writeFileSync(join(root, 'web', 'bad.graphql'), document);
    const out = join(root, 'manifest.json');

    const written = await script(join(root, 'web'), '--out', out);

    expect(written.code).toBe(1);
    expect(written.output).toMatch(/trusted documents: nothing written/);
    expect(written.output).toMatch(problem);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  test('refuses a client preset file hashed with SHA-1 (its default), saying which option to set', async () => {
    const root = workspace();
    const sha1 = createHash('sha1').update(PRESET_BODY).digest('hex');
    writeFileSync(join(root, 'persisted-documents.json'), JSON.stringify({ [sha1]: PRESET_BODY }));

    const written = await script(join(root, 'persisted-documents.json'), '--out', join(root, 'manifest.json'));

    expect(written.code).toBe(1);
    expect(written.output).toMatch(/persistedDocuments: \{ hashAlgorithm: 'sha256' \}/);
  });
});
