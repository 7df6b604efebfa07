import { sql, type DatabaseTransactionConnection } from 'slonik';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { EventRecorder } from '../../../src/core/ports.ts';
import { createPasswordResetRepository } from '../../../src/identity/adapters/slonik-password-reset-repository.ts';
import { createSessionRepository } from '../../../src/identity/adapters/slonik-session-repository.ts';
import { createUserRepository } from '../../../src/identity/adapters/slonik-user-repository.ts';
import { openSession, revoke, revokeForReuse, rotate, type Session } from '../../../src/identity/domain/session.ts';
import { registerUser } from '../../../src/identity/domain/user.ts';
import type { IdentityRepositories, SessionRepository } from '../../../src/identity/services/ports.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';

let database: PgMemDatabase;
let recorded: DomainEvent[];
const recorder: EventRecorder = { record: (events) => void recorded.push(...events) };

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const SESSION_ID = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const OTHER_SESSION_ID = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const NOW = new Date('2026-11-25T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

const inTransaction = <T>(
  work: (repositories: IdentityRepositories, connection: DatabaseTransactionConnection) => Promise<T>,
) =>
  database.pool.transaction((connection) =>
    work(
      {
        users: createUserRepository(connection, recorder),
        sessions: createSessionRepository(connection, recorder),
        passwordResets: createPasswordResetRepository(connection, recorder),
      },
      connection,
    ),
  );

const session = (id = SESSION_ID, userId = ADA_ID, tokenHash = 'hash-1') =>
  openSession({ id, userId, tokenHash, now: NOW, ttlMs: 30 * DAY });

const find = (tokenHash: string) => inTransaction(({ sessions }) => sessions.findByTokenHash(tokenHash));

const currentIn = async (sessions: SessionRepository, tokenHash: string): Promise<Session> => {
  const found = await sessions.findByTokenHash(tokenHash);
  if (found?.status !== 'current') throw new Error(`${tokenHash} is not a current token`);
  return found.session;
};
const current = (tokenHash: string): Promise<Session> =>
  inTransaction(({ sessions }) => currentIn(sessions, tokenHash));
/** Rotates the session holding `from` to `to` in one transaction, as a refresh does. */
const rotateToken = (from: string, to: string) =>
  inTransaction(async ({ sessions }) => sessions.save(rotate(await currentIn(sessions, from), to)));

beforeEach(async () => {
  database = await createPgMemDatabase();
  recorded = [];
  await inTransaction(async ({ users }) => {
    await users.save(registerUser({ id: ADA_ID, email: 'ada@example.com', name: 'Ada', passwordHash: 'x', now: NOW }));
    await users.save(registerUser({ id: BOB_ID, email: 'bob@example.com', name: 'Bob', passwordHash: 'x', now: NOW }));
  });
  recorded = [];
});
afterEach(async () => database.end());

describe('the slonik session repository', () => {
  it('saves a new session at version 1 and finds it by its token hash as current', async () => {
    await inTransaction(({ sessions }) => sessions.save(session()));

    expect(await find('hash-1')).toEqual({
      status: 'current',
      session: {
        id: SESSION_ID,
        userId: ADA_ID,
        tokenHash: 'hash-1',
        retiredTokenHash: null,
        expiresAt: new Date(NOW.getTime() + 30 * DAY),
        revokedAt: null,
        version: 1,
        createdAt: NOW,
        events: [],
      },
    });
  });

  it('finds nothing for a hash that was never issued', async () => {
    await inTransaction(({ sessions }) => sessions.save(session()));

    expect(await find('never-issued')).toBeNull();
  });

  it('after a rotation finds the new hash as current and the old one as retired, both naming the same session', async () => {
    await inTransaction(({ sessions }) => sessions.save(session()));

    await rotateToken('hash-1', 'hash-2');
    await rotateToken('hash-2', 'hash-3');

    expect(await find('hash-3')).toMatchObject({
      status: 'current',
      session: { id: SESSION_ID, tokenHash: 'hash-3', version: 3 },
    });
    expect(await find('hash-1')).toMatchObject({ status: 'retired', session: { id: SESSION_ID, tokenHash: 'hash-3' } });
    expect(await find('hash-2')).toMatchObject({ status: 'retired', session: { id: SESSION_ID, tokenHash: 'hash-3' } });
  });

  it('refuses to rotate a session that a concurrent transaction rotated first', async () => {
    await inTransaction(({ sessions }) => sessions.save(session()));

    const secondSave = await inTransaction(async ({ sessions }, connection) => {
      const other = createSessionRepository(connection, recorder);
      const [mine, theirs] = [await sessions.findByTokenHash('hash-1'), await other.findByTokenHash('hash-1')];
      if (!mine || !theirs) throw new Error('the session was not saved');
      await sessions.save(rotate(mine.session, 'mine'));
      return other.save(rotate(theirs.session, 'theirs')).catch((error: unknown) => error);
    });

    expect(secondSave).toBeInstanceOf(ConcurrentUpdateError);
    expect(await find('mine')).toMatchObject({ status: 'current' });
    expect(await find('theirs')).toBeNull();
  });

  it('persists a revocation for reuse and hands its RefreshTokenReused event over', async () => {
    await inTransaction(({ sessions }) => sessions.save(session()));
    await rotateToken('hash-1', 'hash-2');

    await inTransaction(async ({ sessions }) => {
      const replayed = await sessions.findByTokenHash('hash-1');
      if (replayed?.status !== 'retired') throw new Error('hash-1 is not retired');
      await sessions.save(revokeForReuse(replayed.session, NOW));
    });

    expect(await find('hash-2')).toMatchObject({ status: 'current', session: { revokedAt: NOW, version: 3 } });
    expect(recorded).toEqual([{ type: 'RefreshTokenReused', userId: ADA_ID, sessionId: SESSION_ID }]);
    expect(database.notifications).toEqual([{ channel: 'kingdom_sessions', payload: `session:${SESSION_ID}` }]);
  });

  it('announces a session it ends on kingdom_sessions; a new session or a rotation announces nothing', async () => {
    await inTransaction(({ sessions }) => sessions.save(session()));
    await rotateToken('hash-1', 'hash-2');
    expect(database.notifications).toEqual([]);

    await inTransaction(async ({ sessions }) => sessions.save(revoke(await currentIn(sessions, 'hash-2'), NOW)));

    expect(database.notifications).toEqual([{ channel: 'kingdom_sessions', payload: `session:${SESSION_ID}` }]);
  });

  it("revokes every live session of one user, bumping their versions, and leaves other users' sessions alone", async () => {
    const earlier = new Date(NOW.getTime() - DAY);
    await inTransaction(async ({ sessions }) => {
      await sessions.save(session(SESSION_ID, ADA_ID, 'ada-1'));
      await sessions.save(revoke(session(OTHER_SESSION_ID, ADA_ID, 'ada-2'), earlier));
      await sessions.save(session('2b3c4d5e-6f70-4a81-9b2c-3d4e5f6a7b8c', BOB_ID, 'bob-1'));
    });
    const stale = await current('ada-1');

    await inTransaction(({ sessions }) => sessions.revokeAllOf(ADA_ID, NOW));

    expect(await find('ada-1')).toMatchObject({ session: { revokedAt: NOW, version: 2 } });
    // Already revoked: keeps its original revocation time.
    expect(await find('ada-2')).toMatchObject({ session: { revokedAt: earlier, version: 1 } });
    expect(await find('bob-1')).toMatchObject({ session: { revokedAt: null, version: 1 } });
    expect(database.notifications).toEqual([{ channel: 'kingdom_sessions', payload: `user:${ADA_ID}` }]);
    // A refresh that loaded the session before the revocation cannot save over it.
    await expect(inTransaction(({ sessions }) => sessions.save(rotate(stale, 'ada-1b')))).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
  });

  it('deletes sessions and their retired token hashes with their user', async () => {
    await inTransaction(({ sessions }) => sessions.save(session()));
    await rotateToken('hash-1', 'hash-2');

    await database.pool.query(sql.unsafe`DELETE FROM users WHERE id = ${ADA_ID}`);

    expect(await database.pool.oneFirst(sql.unsafe`SELECT count(*) FROM sessions`)).toBe(0);
    expect(await database.pool.oneFirst(sql.unsafe`SELECT count(*) FROM retired_refresh_tokens`)).toBe(0);
  });
});
