import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createManifest,
  indexOperations,
  ManifestError,
  operationId,
  parseManifest,
  printManifest,
  readManifest,
  type ManifestOperation,
} from '../../../../src/platform/graphql/trusted-documents/manifest.ts';

const entry = (name: string, body: string): ManifestOperation => ({ id: operationId(body), name, type: 'query', body });
const viewer = entry('Viewer', 'query Viewer { viewer { id } }');
const roles = entry('Roles', 'query Roles { roles(first: 5) { totalCount } }');
const text = (value: unknown): string => JSON.stringify(value);

describe('the trusted documents manifest (Apollo persisted query list format)', () => {
  it('ids an operation by the SHA-256 of its body, byte for byte (what Apollo APQ clients send)', () => {
    // sha256 of the three bytes "abc" (FIPS 180-2 test vector).
    expect(operationId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(operationId('{ a }')).not.toBe(operationId('{a}'));
  });

  it('is written sorted by name, in the format and version Apollo tools read, and reads back the same', () => {
    const manifest = createManifest([viewer, roles]);

    expect(manifest).toEqual({ format: 'apollo-persisted-query-manifest', version: 1, operations: [roles, viewer] });
    expect(parseManifest(printManifest(manifest), 'm.json')).toEqual(manifest);
  });

  it.each([
    ['not JSON', '{"format":', /is not JSON/],
    ['another format', text({ format: 'relay', version: 1, operations: [] }), /format/],
    ['another version', text({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }), /version/],
    [
      'an id that is not its body’s SHA-256',
      text(createManifest([{ ...viewer, id: roles.id }])),
      /Viewer: id [0-9a-f]{64} is not the SHA-256 of its body/,
    ],
    ['an id listed twice', text(createManifest([viewer, viewer])), /Viewer: id [0-9a-f]{64} is listed twice/],
    ['an operation without a name', text(createManifest([{ ...viewer, name: '' }])), /operations\.0\.name/],
  ])('refuses %s, naming the file and the problem', (_case, manifest, problem) => {
    const refusal = () => parseManifest(manifest, 'clients/web.json');

    expect(refusal).toThrow(ManifestError);
    expect(refusal).toThrow(/^clients\/web\.json:/);
    expect(refusal).toThrow(problem);
  });

  it('says how to get a manifest when the file is missing', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'none.json');

    expect(() => readManifest(missing)).toThrow(/does not exist: generate it \(npm run trusted-documents\)/);
  });

  it('reads a file from disk and indexes its operations by id and by body', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'm.json');
    writeFileSync(path, printManifest(createManifest([viewer, roles])));

    const operations = indexOperations(readManifest(path));

    expect(operations.byId.get(viewer.id)).toEqual(viewer);
    expect(operations.idByBody.get(roles.body)).toBe(roles.id);
    expect(operations.idByBody.get(`${roles.body} `)).toBeUndefined();
  });
});
