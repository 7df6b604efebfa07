import { sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { EventRecorder } from '../../../src/core/ports.ts';
import { createPasswordResetRepository } from '../../../src/identity/adapters/slonik-password-reset-repository.ts';
import { openPasswordReset } from '../../../src/identity/domain/password-reset.ts';
import type { PasswordResetRepository } from '../../../src/identity/services/ports.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { insertUser } from './identity-rows.ts';

let database: PgMemDatabase;
let recorded: DomainEvent[];
const recorder: EventRecorder = { record: (events) => void recorded.push(...events) };

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const NOW = new Date('2026-11-25T12:00:00.000Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

const inTransaction = <T>(
  work: (resets: PasswordResetRepository, connection: DatabaseTransactionConnection) => Promise<T>,
) => database.pool.transaction((connection) => work(createPasswordResetRepository(connection, recorder), connection));

/** Reset ids are UUIDs; these are made from a short name, readable in failures. */
const idOf = (name: string): string =>
  `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padEnd(12, '0').slice(0, 12)}`;

const opened = (name: string, userId = ADA_ID, now = NOW) =>
  openPasswordReset({ id: idOf(name), userId, email: 'ada@example.com', now, ttlMs: 30 * MINUTE });

/** Adds a reset and mints its token (hash `name`), as the request and then its email job do. */
const mailed = async (resets: PasswordResetRepository, name: string, userId = ADA_ID, now = NOW) => {
  await resets.add(opened(name, userId, now));
  await resets.setTokenHash(idOf(name), name);
};

const find = (hash: string) => inTransaction((resets) => resets.findByHash(hash));
const storedIds = () =>
  database.pool.anyFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM password_resets ORDER BY id`);

beforeEach(async () => {
  database = await createPgMemDatabase();
  recorded = [];
  await insertUser(database, { id: ADA_ID, email: 'ada@example.com' });
  await insertUser(database, { id: BOB_ID, email: 'bob@example.com' });
});
afterEach(async () => database.end());

describe('the slonik password reset repository', () => {
  it('adds a reset without a token, finds it by id, and hands over the event that mails it', async () => {
    await inTransaction((resets) => resets.add(opened('hash-1')));

    expect(await inTransaction((resets) => resets.findById(idOf('hash-1')))).toEqual({
      id: idOf('hash-1'),
      tokenHash: null,
      userId: ADA_ID,
      expiresAt: at(30 * MINUTE),
      usedAt: null,
      revokedAt: null,
      createdAt: NOW,
      events: [],
    });
    expect(recorded).toEqual(opened('hash-1').events);
    expect(await inTransaction((resets) => resets.findById(idOf('never')))).toBeNull();
    expect(await inTransaction((resets) => resets.findById('not-a-uuid'))).toBeNull();
  });

  it('keeps the minted token’s hash once, and finds the reset by it', async () => {
    await inTransaction((resets) => mailed(resets, 'hash-1'));

    expect(await find('hash-1')).toMatchObject({ id: idOf('hash-1'), tokenHash: 'hash-1' });
    await expect(inTransaction((resets) => resets.setTokenHash(idOf('hash-1'), 'other'))).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    expect(await find('other')).toBeNull();
    expect(await find('never-issued')).toBeNull();
  });

  it('mints no token for a reset revoked or used meanwhile, or for none at all', async () => {
    await inTransaction(async (resets) => {
      await resets.add(opened('revoked'));
      await resets.revokeAllOf(ADA_ID, NOW);
    });

    for (const id of [idOf('revoked'), idOf('nothing')]) {
      await expect(inTransaction((resets) => resets.setTokenHash(id, 'h'))).rejects.toBeInstanceOf(
        ConcurrentUpdateError,
      );
    }
  });

  it('answers when the account’s newest reset was requested, null before any', async () => {
    expect(await inTransaction((resets) => resets.lastIssuedFor(ADA_ID))).toBeNull();
    await inTransaction(async (resets) => {
      await resets.add(opened('old', ADA_ID, NOW));
      await resets.add(opened('new', ADA_ID, at(2 * MINUTE)));
      await resets.add(opened('bob', BOB_ID, at(5 * MINUTE)));
    });

    expect(await inTransaction((resets) => resets.lastIssuedFor(ADA_ID))).toEqual(at(2 * MINUTE));
    expect(await inTransaction((resets) => resets.lastIssuedFor('not-a-uuid'))).toBeNull();
  });

  it('marks a token used once; spending it again, or a revoked one, is a concurrent update', async () => {
    await inTransaction(async (resets) => {
      await mailed(resets, 'hash-1');
      await mailed(resets, 'hash-2');
    });
    await inTransaction((resets) => resets.markUsed('hash-1', at(MINUTE)));
    await inTransaction((resets) => resets.revokeAllOf(ADA_ID, at(MINUTE)));

    expect(await find('hash-1')).toMatchObject({ usedAt: at(MINUTE), revokedAt: null });
    await expect(inTransaction((resets) => resets.markUsed('hash-1', at(2 * MINUTE)))).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    await expect(inTransaction((resets) => resets.markUsed('hash-2', at(2 * MINUTE)))).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    await expect(inTransaction((resets) => resets.markUsed('never-issued', NOW))).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
  });

  it('revokes the live resets of one account only, mailed or not', async () => {
    await inTransaction(async (resets) => {
      await mailed(resets, 'live');
      await mailed(resets, 'used');
      await resets.add(opened('unsent'));
      await mailed(resets, 'bob', BOB_ID);
      await resets.markUsed('used', NOW);
    });

    await inTransaction((resets) => resets.revokeAllOf(ADA_ID, at(MINUTE)));

    expect(await find('live')).toMatchObject({ revokedAt: at(MINUTE) });
    expect(await find('used')).toMatchObject({ usedAt: NOW, revokedAt: null });
    expect(await inTransaction((resets) => resets.findById(idOf('unsent')))).toMatchObject({ revokedAt: at(MINUTE) });
    expect(await find('bob')).toMatchObject({ revokedAt: null });
  });

  it('deletes the account’s resets that expired before the given time, and no others', async () => {
    await inTransaction(async (resets) => {
      await resets.add(opened('expired', ADA_ID, at(-60 * MINUTE)));
      await resets.add(opened('current', ADA_ID, NOW));
      await resets.add(opened('bob-expired', BOB_ID, at(-60 * MINUTE)));
    });

    await inTransaction((resets) => resets.deleteExpiredOf(ADA_ID, NOW));

    expect(await storedIds()).toEqual([idOf('bob-expired'), idOf('current')].sort());
  });

  it('goes with its account when the account is deleted', async () => {
    await inTransaction((resets) => mailed(resets, 'hash-1'));

    await database.pool.query(sql.unsafe`DELETE FROM users WHERE id = ${ADA_ID}`);

    expect(await storedIds()).toEqual([]);
  });
});
