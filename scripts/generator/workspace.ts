/**
 * The repository as a generator sees it: files are read from disk, changed and created in memory, and written
 * only by `write()`, after every change was computed. A generator that fails (a bad name, a name taken, a file
 * whose anchor is gone) throws before `write()`, so it leaves the tree exactly as it was. What it writes is
 * formatted by Prettier with the repository's own settings, so `npm run format:check` holds after a run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kind, parse, type DocumentNode } from 'graphql';
import * as prettier from 'prettier';
import { GeneratorError } from './names.ts';

export type Change = { readonly path: string; readonly created: boolean };

export class Workspace {
  readonly root: string;
  readonly #contents = new Map<string, string>();
  readonly #created = new Set<string>();
  readonly #changed = new Set<string>();

  constructor(root: string) {
    this.root = root;
  }

  exists(path: string): boolean {
    return this.#contents.has(path) || existsSync(join(this.root, path));
  }

  read(path: string): string {
    const cached = this.#contents.get(path);
    if (cached !== undefined) return cached;
    if (!existsSync(join(this.root, path))) throw new GeneratorError(`${path} does not exist`);
    const text = readFileSync(join(this.root, path), 'utf8');
    this.#contents.set(path, text);
    return text;
  }

  /** Replaces a file's text with `change(text)`, in memory. */
  edit(path: string, change: (text: string) => string): void {
    const before = this.read(path);
    const after = change(before);
    if (after !== before) {
      this.#contents.set(path, after);
      this.#changed.add(path);
    }
  }

  create(path: string, text: string): void {
    if (this.exists(path)) throw new GeneratorError(`${path} exists already; the generator never overwrites a file`);
    this.#contents.set(path, text);
    this.#created.add(path);
  }

  /** Directory names directly under `path` (empty when it does not exist). */
  folders(path: string): string[] {
    const absolute = join(this.root, path);
    if (!existsSync(absolute)) return [];
    return readdirSync(absolute, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  }

  files(path: string, suffix: string): string[] {
    const absolute = join(this.root, path);
    if (!existsSync(absolute)) return [];
    return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith(suffix))
      .map((file) => join(path, file))
      .sort();
  }

  /** Every SDL file, parsed (as the pending changes left them). */
  schemaDocuments(): DocumentNode[] {
    return this.files('schema', '.graphql').map((path) => {
      try {
        return parse(this.read(path));
      } catch (error) {
        throw new GeneratorError(`${path} is not valid SDL: ${(error as Error).message}`);
      }
    });
  }

  /** Type names declared anywhere in the SDL, and the fields of Query and Mutation. */
  schemaNames(): { types: Set<string>; rootFields: Set<string> } {
    const types = new Set<string>();
    const rootFields = new Set<string>();
    for (const document of this.schemaDocuments()) {
      for (const definition of document.definitions) {
        if (!('name' in definition) || !definition.name) continue;
        const name = definition.name.value;
        if (definition.kind !== Kind.OBJECT_TYPE_EXTENSION) types.add(name);
        if ((name === 'Query' || name === 'Mutation' || name === 'Subscription') && 'fields' in definition) {
          for (const field of definition.fields ?? []) rootFields.add(field.name.value);
        }
      }
    }
    return { types, rootFields };
  }

  /** What `write()` would do, in a stable order. */
  changes(): Change[] {
    const created = [...this.#created].sort().map((path) => ({ path, created: true }));
    const changed = [...this.#changed].filter((path) => !this.#created.has(path)).sort();
    return [...created, ...changed.map((path) => ({ path, created: false }))];
  }

  /** Formats every pending file first (Prettier, .prettierrc.json; files it ignores or cannot parse as they are). */
  async write(): Promise<Change[]> {
    const changes = this.changes();
    const formatted = await Promise.all(
      changes.map(({ path }) => this.#formatted(path, this.#contents.get(path) ?? '')),
    );
    changes.forEach(({ path }, index) => {
      mkdirSync(dirname(join(this.root, path)), { recursive: true });
      writeFileSync(join(this.root, path), formatted[index] ?? '');
    });
    return changes;
  }

  async #formatted(path: string, text: string): Promise<string> {
    const file = join(this.root, path);
    const info = await prettier.getFileInfo(file, { ignorePath: join(this.root, '.prettierignore') });
    if (info.ignored || !info.inferredParser) return text;
    const config = await prettier.resolveConfig(file);
    return prettier.format(text, { ...config, filepath: file });
  }
}
