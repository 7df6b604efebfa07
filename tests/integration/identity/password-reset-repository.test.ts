import { sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { EventRecorder } from '../../../src/core/ports.ts';
import { createPasswordResetRepository } from '../../../src/identity/adapters/slonik-password-reset-repository.ts';
import { issuePasswordResetToken } from '../../../src/identity/domain/password-reset.ts';
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

const token = (hash: string, userId = ADA_ID, now = NOW) =>
  issuePasswordResetToken({
    token: `clear-${hash}`,
    tokenHash: hash,
    userId,
    email: 'ada@example.com',
    now,
    ttlMs: 30 * MINUTE,
  });

const find = (hash: string) => inTransaction((resets) => resets.findByHash(hash));
const storedHashes = () =>
  database.pool.anyFirst(
    sql.type(z.object({ token_hash: z.string() }))`SELECT token_hash FROM password_reset_tokens ORDER BY token_hash`,
  );

beforeEach(async () => {
  database = await createPgMemDatabase();
  recorded = [];
  await insertUser(database, { id: ADA_ID, email: 'ada@example.com' });
  await insertUser(database, { id: BOB_ID, email: 'bob@example.com' });
});
afterEach(async () => database.end());

describe('the slonik password reset repository', () => {
  it('adds a token, finds it by hash, and hands over the event that mails it', async () => {
    await inTransaction((resets) => resets.add(token('hash-1')));

    expect(await find('hash-1')).toEqual({
      tokenHash: 'hash-1',
      userId: ADA_ID,
      expiresAt: at(30 * MINUTE),
      usedAt: null,
      revokedAt: null,
      createdAt: NOW,
      events: [],
    });
    expect(recorded).toEqual(token('hash-1').events);
    expect(await find('never-issued')).toBeNull();
  });

  it('stores the hash only: the clear token is in no column', async () => {
    await inTransaction((resets) => resets.add(token('hash-1')));

    const row = database.db.public.one('SELECT * FROM password_reset_tokens');
    expect(JSON.stringify(row)).not.toContain('clear-hash-1');
  });

  it('answers when the account’s newest token was issued, null before any', async () => {
    expect(await inTransaction((resets) => resets.lastIssuedFor(ADA_ID))).toBeNull();
    await inTransaction(async (resets) => {
      await resets.add(token('old', ADA_ID, NOW));
      await resets.add(token('new', ADA_ID, at(2 * MINUTE)));
      await resets.add(token('bob', BOB_ID, at(5 * MINUTE)));
    });

    expect(await inTransaction((resets) => resets.lastIssuedFor(ADA_ID))).toEqual(at(2 * MINUTE));
    expect(await inTransaction((resets) => resets.lastIssuedFor('not-a-uuid'))).toBeNull();
  });

  it('marks a token used once; spending it again, or a revoked one, is a concurrent update', async () => {
    await inTransaction(async (resets) => {
      await resets.add(token('hash-1'));
      await resets.add(token('hash-2'));
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

  it('revokes the live tokens of one account only', async () => {
    await inTransaction(async (resets) => {
      await resets.add(token('live'));
      await resets.add(token('used'));
      await resets.add(token('bob', BOB_ID));
      await resets.markUsed('used', NOW);
    });

    await inTransaction((resets) => resets.revokeAllOf(ADA_ID, at(MINUTE)));

    expect(await find('live')).toMatchObject({ revokedAt: at(MINUTE) });
    expect(await find('used')).toMatchObject({ usedAt: NOW, revokedAt: null });
    expect(await find('bob')).toMatchObject({ revokedAt: null });
  });

  it('deletes the account’s tokens that expired before the given time, and no others', async () => {
    await inTransaction(async (resets) => {
      await resets.add(token('expired', ADA_ID, at(-60 * MINUTE)));
      await resets.add(token('current', ADA_ID, NOW));
      await resets.add(token('bob-expired', BOB_ID, at(-60 * MINUTE)));
    });

    await inTransaction((resets) => resets.deleteExpiredOf(ADA_ID, NOW));

    expect(await storedHashes()).toEqual(['bob-expired', 'current']);
  });

  it('goes with its account when the account is deleted', async () => {
    await inTransaction((resets) => resets.add(token('hash-1')));

    await database.pool.query(sql.unsafe`DELETE FROM users WHERE id = ${ADA_ID}`);

    expect(await storedHashes()).toEqual([]);
  });
});
