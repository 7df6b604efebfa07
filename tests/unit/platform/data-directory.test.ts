import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { displayedPath, embeddedDataDirectory } from '../../../src/platform/database/data-directory.ts';

/** A checkout as `mktemp -d` leaves it: 0700, closed to every other user. */
let checkout: string;
beforeEach(() => {
  checkout = mkdtempSync(join(tmpdir(), 'kingdom-checkout-'));
});
afterEach(() => rmSync(checkout, { recursive: true, force: true }));

describe('where the embedded Postgres keeps its data', () => {
  test('EMBEDDED_POSTGRES_DIR wins, relative to the checkout', () => {
    expect(embeddedDataDirectory('pg', checkout, true)).toEqual({ path: join(checkout, 'pg'), outsideCheckout: false });
    expect(embeddedDataDirectory('/srv/pg', checkout, true)).toEqual({ path: '/srv/pg', outsideCheckout: false });
  });

  test('.data/postgres in the checkout for anyone but root, who runs Postgres as another user', () => {
    expect(embeddedDataDirectory(undefined, checkout, false)).toEqual({
      path: join(checkout, '.data', 'postgres'),
      outsideCheckout: false,
    });
  });

  test('as root, .data/postgres when the postgres user can reach it', () => {
    chmodSync(checkout, 0o755);
    expect(embeddedDataDirectory(undefined, checkout, true).outsideCheckout).toBe(false);
  });

  test("as root in a private checkout, a folder of the checkout's own that every user can reach, the same every time", () => {
    const chosen = embeddedDataDirectory(undefined, checkout, true);
    expect(chosen.outsideCheckout).toBe(true);
    expect(['/var/tmp', tmpdir()]).toContain(dirname(dirname(chosen.path)));
    expect(basename(dirname(chosen.path))).toMatch(new RegExp(`^kingdom-${basename(checkout)}-[0-9a-f]{12}$`));
    expect(embeddedDataDirectory(undefined, checkout, true)).toEqual(chosen);

    const other = mkdtempSync(join(tmpdir(), 'kingdom-checkout-'));
    try {
      expect(embeddedDataDirectory(undefined, other, true).path).not.toBe(chosen.path);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('as root, a cluster already in the checkout stays where it is', () => {
    mkdirSync(join(checkout, '.data', 'postgres'), { recursive: true });
    writeFileSync(join(checkout, '.data', 'postgres', 'PG_VERSION'), '18\n');
    expect(embeddedDataDirectory(undefined, checkout, true).outsideCheckout).toBe(false);
  });

  test('is shown relative inside the checkout and absolute outside it', () => {
    expect(displayedPath(join(checkout, '.data', 'postgres'), checkout)).toBe(join('.data', 'postgres'));
    expect(displayedPath('/var/tmp/kingdom-x/postgres', checkout)).toBe('/var/tmp/kingdom-x/postgres');
  });
});
