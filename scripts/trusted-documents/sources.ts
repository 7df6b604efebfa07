/**
 * Where trusted operations come from, each read into manifest entries whose body is exactly what the client sends:
 * - a folder: its *.graphql and *.gql files (recursively), each sent as it is written (examples/, a client's
 *   folder of documents): one named operation per file, with the fragments it uses;
 * - a .graphql or .gql file, the same;
 * - a JSON file: an Apollo persisted query manifest (what @apollo/generate-persisted-query-manifest writes for an
 *   Apollo Client app, bodies as Apollo Client prints them), or the persisted documents graphql-codegen's client
 *   preset writes (`{ "<sha256>": "<body>" }`, with `persistedDocuments: { hashAlgorithm: 'sha256' }`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { Kind, parse } from 'graphql';
import {
  MANIFEST_FORMAT,
  operationId,
  parseManifest,
  type ManifestOperation,
} from '../../src/platform/graphql/trusted-documents/manifest.ts';

export type Found = { readonly operation: ManifestOperation; readonly origin: string };
export type Read = { readonly found: Found[]; readonly problems: string[] };

const DOCUMENT_EXTENSIONS = new Set(['.graphql', '.gql']);

/** A body as a manifest entry: exactly one operation, named (the manifest and the logs know operations by name). */
const entryOf = (body: string, origin: string, problems: string[]): Found | undefined => {
  let operations;
  try {
    operations = parse(body).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    problems.push(`${origin}: ${(error as Error).message}`);
    return undefined;
  }
  const [only] = operations;
  if (operations.length !== 1 || !only) {
    problems.push(`${origin}: holds ${operations.length} operations; a trusted document is one operation`);
    return undefined;
  }
  if (!only.name) {
    problems.push(`${origin}: the operation has no name; name it (the manifest and the logs identify it by name)`);
    return undefined;
  }
  return { operation: { id: operationId(body), name: only.name.value, type: only.operation, body }, origin };
};

const readDocuments = (path: string, problems: string[]): Found[] => {
  const files = statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, encoding: 'utf8' })
        .filter((file) => DOCUMENT_EXTENSIONS.has(extname(file)) && !file.split(/[\\/]/).includes('node_modules'))
        .sort()
        .map((file) => join(path, file))
    : [path];
  return files.flatMap((file) => entryOf(readFileSync(file, 'utf8'), relative(process.cwd(), file), problems) ?? []);
};

const readJson = (path: string, problems: string[]): Found[] => {
  const text = readFileSync(path, 'utf8');
  const json = JSON.parse(text) as unknown;
  if (typeof json === 'object' && json !== null && (json as { format?: unknown }).format === MANIFEST_FORMAT) {
    return parseManifest(text, path).operations.flatMap(
      (operation) => entryOf(operation.body, `${path} (${operation.name})`, problems) ?? [],
    );
  }
  const entries = typeof json === 'object' && json !== null && !Array.isArray(json) ? Object.entries(json) : [];
  if (entries.length === 0 || entries.some(([, body]) => typeof body !== 'string')) {
    problems.push(`${path}: neither an Apollo persisted query manifest nor a { "<hash>": "<body>" } map`);
    return [];
  }
  return (entries as Array<[string, string]>).flatMap(([hash, body]) => {
    if (operationId(body) !== hash) {
      problems.push(
        `${path}: ${hash} is not the SHA-256 of its body (graphql-codegen's client preset: set ` +
          `persistedDocuments: { hashAlgorithm: 'sha256' })`,
      );
      return [];
    }
    return entryOf(body, `${path} (${hash.slice(0, 12)})`, problems) ?? [];
  });
};

/** Every source's operations, the same body once, and a name never given to two different bodies. */
export const readSources = (paths: readonly string[]): Read => {
  const problems: string[] = [];
  const found: Found[] = [];
  for (const path of paths) {
    try {
      found.push(...(extname(path) === '.json' ? readJson(path, problems) : readDocuments(path, problems)));
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
    }
  }
  const byId = new Map<string, Found>();
  const byName = new Map<string, Found>();
  for (const entry of found) {
    if (byId.has(entry.operation.id)) continue;
    const named = byName.get(entry.operation.name);
    if (named) {
      problems.push(`${entry.origin}: another operation is named ${entry.operation.name} (${named.origin})`);
      continue;
    }
    byId.set(entry.operation.id, entry);
    byName.set(entry.operation.name, entry);
  }
  return { found: [...byId.values()], problems };
};
