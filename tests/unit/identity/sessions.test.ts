import type { LogOut, RefreshSession } from '../../../src/identity/domain/commands.ts';
import { FAKE_IDENTITY_POLICY } from '../../fakes/identity/fake-identity-dependencies.ts';
import {
  identityApplication,
  logInCommand,
  rejectionOf,
  signUpCommand,
  visible,
} from '../../fakes/identity/identity-application.ts';

const refresh = (refreshToken: string): RefreshSession => ({ type: 'RefreshSession', refreshToken });
const logOut = (refreshToken: string): LogOut => ({ type: 'LogOut', refreshToken });

const INVALID_REFRESH_TOKEN = {
  class: 'DomainError',
  name: 'InvalidRefreshToken',
  category: 'Unauthenticated',
  message: 'Invalid or expired refresh token',
  details: {},
};

/** An application where ada has signed up, holding that session's first refresh token. */
const signedIn = async () => {
  const app = identityApplication();
  const { userId, refreshToken } = await app.bus.execute(signUpCommand());
  const session = [...app.store.sessions.values()][0];
  if (!session) throw new Error('sign-up should have opened a session');
  app.published.splice(0);
  return {
    ...app,
    userId,
    first: refreshToken,
    sessionId: session.id,
    stored: () => app.store.sessions.get(session.id),
  };
};

describe('refreshing a session (RefreshSession)', () => {
  it('rotates the refresh token and answers a new pair for the same session', async () => {
    const { bus, userId, sessionId, first } = await signedIn();

    const result = await bus.execute(refresh(first));

    expect(result).toEqual({
      userId,
      accessToken: `access:${userId}:${sessionId}:2`,
      refreshToken: 'refresh-2',
      expiresIn: 900,
    });
  });

  it('after rotation the new token works and the old one counts as retired', async () => {
    const { bus, store, sessionId, first, stored } = await signedIn();

    const { refreshToken: second } = await bus.execute(refresh(first));

    expect(stored()).toMatchObject({ tokenHash: `h:${second}`, revokedAt: null });
    expect(store.retiredTokenHashes.get(`h:${first}`)).toBe(sessionId);
    await expect(bus.execute(refresh(second))).resolves.toMatchObject({ refreshToken: 'refresh-3' });
  });

  it('a replayed retired token revokes the whole family, so the newest token stops working too', async () => {
    const { bus, first, stored } = await signedIn();
    const { refreshToken: second } = await bus.execute(refresh(first));

    const replay = await rejectionOf(bus.execute(refresh(first)));

    expect(visible(replay)).toEqual(INVALID_REFRESH_TOKEN);
    expect(stored()?.revokedAt).not.toBeNull(); // committed although the caller got an error
    expect(visible(await rejectionOf(bus.execute(refresh(second))))).toEqual(INVALID_REFRESH_TOKEN);
  });

  it('a replay commits RefreshTokenReused naming the user and the session', async () => {
    const { bus, store, userId, sessionId, first } = await signedIn();
    await bus.execute(refresh(first));

    await rejectionOf(bus.execute(refresh(first)));

    expect(store.committedEvents.at(-1)).toEqual({ type: 'RefreshTokenReused', userId, sessionId });
  });

  // Events committed before a handler refuses its caller are facts too: the bus publishes them, then rethrows.
  it('delivers RefreshTokenReused to subscribers although the replaying caller is refused', async () => {
    const { bus, published, userId, sessionId, first } = await signedIn();
    await bus.execute(refresh(first));

    await rejectionOf(bus.execute(refresh(first)));

    expect(published).toEqual([{ type: 'RefreshTokenReused', userId, sessionId }]);
  });

  it('of two refreshes of one token at the same time, one wins and the other is treated as a replay (RFC 9700)', async () => {
    const { bus, store, first, stored } = await signedIn();

    const outcomes = await Promise.allSettled([bus.execute(refresh(first)), bus.execute(refresh(first))]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
      reason: { name: 'InvalidRefreshToken' },
    });
    expect(stored()?.revokedAt).not.toBeNull();
    expect(store.committedEvents.at(-1)).toMatchObject({ type: 'RefreshTokenReused' });
    expect(store.isolationLevels.slice(-2)).toEqual(['REPEATABLE READ', 'REPEATABLE READ']);
  });

  it('refuses a session past its expiry, without rotating it', async () => {
    const { bus, clock, first, stored } = await signedIn();
    clock.advance(FAKE_IDENTITY_POLICY.refreshTokenTtlMs);

    const error = await rejectionOf(bus.execute(refresh(first)));

    expect(visible(error)).toEqual(INVALID_REFRESH_TOKEN);
    expect(stored()?.tokenHash).toBe(`h:${first}`);
  });

  it('keeps the family’s original expiry across rotations (no endless sessions)', async () => {
    const { bus, clock, first } = await signedIn();
    clock.advance(FAKE_IDENTITY_POLICY.refreshTokenTtlMs - 1);
    const { refreshToken: second } = await bus.execute(refresh(first));
    clock.advance(1);

    expect(visible(await rejectionOf(bus.execute(refresh(second))))).toEqual(INVALID_REFRESH_TOKEN);
  });

  it('refuses a token it never issued, with the same error as a replay', async () => {
    const { bus } = await signedIn();

    expect(visible(await rejectionOf(bus.execute(refresh('made-up'))))).toEqual(INVALID_REFRESH_TOKEN);
  });
});

describe('logging out (LogOut)', () => {
  it('revokes the session, after which its refresh token no longer works', async () => {
    const { bus, first, stored } = await signedIn();

    await expect(bus.execute(logOut(first))).resolves.toBe(true);

    expect(stored()?.revokedAt).not.toBeNull();
    expect(visible(await rejectionOf(bus.execute(refresh(first))))).toEqual(INVALID_REFRESH_TOKEN);
  });

  it('commits LoggedOut once, so every instance forgets the session: a second log-out announces nothing', async () => {
    const { bus, store, first, stored } = await signedIn();

    await bus.execute(logOut(first));
    await bus.execute(logOut(first));

    const loggedOut = store.committedEvents.filter((event) => event.type === 'LoggedOut');
    expect(loggedOut).toEqual([{ type: 'LoggedOut', userId: stored()?.userId, sessionId: stored()?.id }]);
  });

  it('answers false for a token it never issued, and changes nothing', async () => {
    const { bus, store } = await signedIn();
    const before = structuredClone(store.sessions);

    await expect(bus.execute(logOut('made-up'))).resolves.toBe(false);

    expect(store.sessions).toEqual(before);
  });

  it('answers true again for a session already logged out, keeping the first revocation time', async () => {
    const { bus, clock, first, stored } = await signedIn();
    await bus.execute(logOut(first));
    const revokedAt = stored()?.revokedAt;
    clock.advance(1000);

    await expect(bus.execute(logOut(first))).resolves.toBe(true);

    expect(stored()?.revokedAt).toEqual(revokedAt);
  });

  it('logs the session out when given one of its retired tokens too', async () => {
    const { bus, first, stored } = await signedIn();
    const { refreshToken: second } = await bus.execute(refresh(first));

    await expect(bus.execute(logOut(first))).resolves.toBe(true);

    expect(stored()?.revokedAt).not.toBeNull();
    await expect(bus.execute(refresh(second))).rejects.toMatchObject({ name: 'InvalidRefreshToken' });
  });

  it('leaves the user’s other sessions working', async () => {
    const { bus, first } = await signedIn();
    const { refreshToken: otherDevice } = await bus.execute(logInCommand());

    await bus.execute(logOut(first));

    await expect(bus.execute(refresh(otherDevice))).resolves.toMatchObject({ refreshToken: expect.any(String) });
  });
});
