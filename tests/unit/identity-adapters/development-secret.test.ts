/**
 * Without a configured key, development signs tokens with a key kept in a file of the checkout, so every process
 * of that checkout (two API instances, `npm run db:seed`) accepts the others' tokens.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentSecret } from '../../../src/identity/adapters/signing-keys.ts';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'kingdom-dev-secret-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

test('the first call creates a private key file of at least 256 bits; later calls read the same key', () => {
  const file = join(folder, 'nested', 'jwt-development-secret');
  const first = developmentSecret(file);
  expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(developmentSecret(file)).toBe(first);
  expect(readFileSync(file, 'utf8')).toBe(first);
});

test('a key file another process has just created is used as it is', () => {
  const file = join(folder, 'jwt-development-secret');
  const theirs = 'k'.repeat(64);
  writeFileSync(file, `${theirs}\n`);
  expect(developmentSecret(file)).toBe(theirs);
  expect(readFileSync(file, 'utf8')).toBe(`${theirs}\n`);
});

test('a file too short to be a key is replaced by one, and no draft is left behind', () => {
  const file = join(folder, 'jwt-development-secret');
  writeFileSync(file, 'short');
  const secret = developmentSecret(file);
  expect(Buffer.byteLength(secret)).toBeGreaterThanOrEqual(32);
  expect(readFileSync(file, 'utf8')).toBe(secret);
  expect(readdirSync(folder)).toEqual(['jwt-development-secret']);
});
