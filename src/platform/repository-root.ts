import path from 'node:path';

/** The checkout: this file is at `<root>/src/platform/` (or `<root>/dist/platform/` when built). */
export const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');
