import { parseSessionAnnouncement } from '../../../src/identity/adapters/session-channel.ts';
import { createSessionLiveness, type SessionStatus } from '../../../src/identity/adapters/session-liveness.ts';
import { fakeChannels } from '../../fakes/fake-channels.ts';
import { FakeClock } from '../../fakes/identity/fake-identity-dependencies.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';

const ADA = 'ada';
const BOB = 'bob';
const HOUR = 3_600_000;

/** The sessions table as the lookup sees it, counting lookups; `ended` ends a session in it. */
const fakeSessions = (clock: FakeClock) => {
  const rows = new Map<string, SessionStatus>([
    ['s-ada-1', { userId: ADA, ended: false, expiresAt: new Date(clock.now().getTime() + HOUR) }],
    ['s-ada-2', { userId: ADA, ended: false, expiresAt: new Date(clock.now().getTime() + HOUR) }],
    ['s-bob-1', { userId: BOB, ended: false, expiresAt: new Date(clock.now().getTime() + HOUR) }],
  ]);
  let lookups = 0;
  /** Set to hold the next lookup until the test lets it answer. */
  let hold: Promise<void> | null = null;
  return {
    rows,
    lookups: () => lookups,
    holdNextLookup: () => {
      let release!: () => void;
      hold = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
    end: (sessionId: string) => rows.set(sessionId, { ...rows.get(sessionId)!, ended: true }),
    lookup: async (sessionId: string) => {
      lookups += 1;
      const status = rows.get(sessionId) ?? null;
      const waiting = hold;
      hold = null;
      if (waiting) await waiting;
      return status;
    },
  };
};

const setUp = (withChannels = true) => {
  const clock = new FakeClock();
  const channels = fakeChannels();
  const sessions = fakeSessions(clock);
  const liveness = createSessionLiveness({
    lookup: sessions.lookup,
    channels: withChannels ? channels.listener : null,
    clock,
    logger: new RecordingLogger(),
    maxEntries: 3,
  });
  return { clock, channels, sessions, liveness };
};

describe('session liveness with a LISTEN connection', () => {
  it('looks a session up once, then answers from its cache (no query in the steady state)', async () => {
    const { sessions, liveness } = setUp();

    const answers = [await liveness.isLive('s-ada-1', ADA), await liveness.isLive('s-ada-1', ADA)];

    expect(answers).toEqual([true, true]);
    expect(sessions.lookups()).toBe(1);
  });

  it('forgets a session announced as ended: the next check reads it ended', async () => {
    const { sessions, liveness, channels } = setUp();
    await liveness.isLive('s-ada-1', ADA);
    await liveness.isLive('s-ada-2', ADA);
    sessions.end('s-ada-1');

    channels.announce('kingdom_sessions', 'session:s-ada-1');

    expect(await liveness.isLive('s-ada-1', ADA)).toBe(false);
    expect(await liveness.isLive('s-ada-2', ADA)).toBe(true);
    expect(sessions.lookups()).toBe(3);
  });

  it('forgets every session of a user announced as ended, and nobody else’s', async () => {
    const { sessions, liveness, channels } = setUp();
    for (const id of ['s-ada-1', 's-ada-2', 's-bob-1']) await liveness.isLive(id, id.includes('ada') ? ADA : BOB);
    sessions.end('s-ada-1');
    sessions.end('s-ada-2');

    channels.announce('kingdom_sessions', 'user:ada');

    expect([await liveness.isLive('s-ada-1', ADA), await liveness.isLive('s-ada-2', ADA)]).toEqual([false, false]);
    expect(await liveness.isLive('s-bob-1', BOB)).toBe(true);
    expect(sessions.lookups()).toBe(5);
  });

  it('forgets in-process when told (this process ended it), without waiting for the announcement', async () => {
    const { sessions, liveness } = setUp();
    await liveness.isLive('s-ada-1', ADA);
    await liveness.isLive('s-bob-1', BOB);
    sessions.end('s-ada-1');
    sessions.end('s-bob-1');

    liveness.forgetSession('s-ada-1');
    liveness.forgetUser(BOB);

    expect([await liveness.isLive('s-ada-1', ADA), await liveness.isLive('s-bob-1', BOB)]).toEqual([false, false]);
  });

  it('while the connection is down, queries every time and caches nothing; once restored, caches again', async () => {
    const { sessions, liveness, channels } = setUp();
    await liveness.isLive('s-ada-1', ADA);

    channels.drop();
    sessions.end('s-ada-1'); // an announcement this process would have missed
    const whileDown = [await liveness.isLive('s-ada-1', ADA), await liveness.isLive('s-ada-2', ADA)];
    await liveness.isLive('s-ada-2', ADA);
    const lookupsWhileDown = sessions.lookups() - 1;
    channels.restore();
    await liveness.isLive('s-ada-2', ADA);
    await liveness.isLive('s-ada-2', ADA);

    expect(whileDown).toEqual([false, true]);
    expect(lookupsWhileDown).toBe(3);
    expect(sessions.lookups()).toBe(1 + 3 + 1);
  });

  it('does not cache a lookup that overlapped an announcement: it may have read the session before it ended', async () => {
    const { sessions, liveness, channels } = setUp();
    const release = sessions.holdNextLookup();
    const inFlight = liveness.isLive('s-ada-1', ADA);
    sessions.end('s-ada-1');
    channels.announce('kingdom_sessions', 'session:s-ada-1');
    release();

    expect(await inFlight).toBe(true); // read before the end committed: the request was in flight already
    expect(await liveness.isLive('s-ada-1', ADA)).toBe(false);
  });

  it('refuses a session of another user, one that does not exist, and one past its expiry', async () => {
    const { clock, liveness } = setUp();

    expect(await liveness.isLive('s-ada-1', BOB)).toBe(false);
    expect(await liveness.isLive('s-nobody', ADA)).toBe(false);
    clock.advance(HOUR);
    expect(await liveness.isLive('s-ada-1', ADA)).toBe(false);
  });

  it('keeps at most maxEntries sessions, forgetting the oldest first', async () => {
    const { clock, sessions, liveness } = setUp();
    sessions.rows.set('s-4', { userId: ADA, ended: false, expiresAt: new Date(clock.now().getTime() + HOUR) });
    for (const id of ['s-ada-1', 's-ada-2', 's-4']) await liveness.isLive(id, ADA);
    await liveness.isLive('s-bob-1', BOB);

    const before = sessions.lookups();
    await liveness.isLive('s-ada-2', ADA);
    await liveness.isLive('s-ada-1', ADA);

    expect(sessions.lookups() - before).toBe(1);
  });

  it('drops everything on an announcement of no known form', async () => {
    const { sessions, liveness, channels } = setUp();
    await liveness.isLive('s-ada-1', ADA);

    channels.announce('kingdom_sessions', 'something-else');
    await liveness.isLive('s-ada-1', ADA);

    expect(sessions.lookups()).toBe(2);
  });

  it('tells its listeners of every end it learns of: announced, its own, or unknown (null: a payload of no known form, and back from an interruption)', async () => {
    const { liveness, channels } = setUp();
    const heard: unknown[] = [];
    const stop = liveness.onEnded((ended) => heard.push(ended));

    channels.announce('kingdom_sessions', 'session:s-ada-1');
    channels.announce('kingdom_sessions', 'user:bob');
    liveness.forgetSession('s-ada-2');
    liveness.forgetUser('ada');
    channels.announce('kingdom_sessions', 'something else');
    channels.drop();
    channels.restore();
    stop();
    channels.announce('kingdom_sessions', 'session:s-bob-1');

    expect(heard).toEqual([
      { sessionId: 's-ada-1' },
      { userId: 'bob' },
      { sessionId: 's-ada-2' },
      { userId: 'ada' },
      null,
      null,
    ]);
  });
});

describe('session liveness without a LISTEN connection (the worker, tests)', () => {
  it('caches nothing: every check is one query, and sees an end at once', async () => {
    const { sessions, liveness } = setUp(false);
    expect(await liveness.isLive('s-ada-1', ADA)).toBe(true);
    sessions.end('s-ada-1');

    expect(await liveness.isLive('s-ada-1', ADA)).toBe(false);
    expect(sessions.lookups()).toBe(2);
  });
});

describe('kingdom_sessions payloads', () => {
  it.each([
    ['session:7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9', { session: '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9' }],
    ['user:ada', { user: 'ada' }],
    ['user:', null],
    ['session', null],
    ['group:x', null],
    ['', null],
  ])('%j reads as %j', (payload, expected) => {
    expect(parseSessionAnnouncement(payload)).toEqual(expected);
  });
});
