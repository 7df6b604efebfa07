import type { Viewer } from '../../../../src/platform/graphql/context.ts';
import {
  closeEndedSessions,
  SESSION_ENDED,
  type SignedInSocket,
} from '../../../../src/platform/subscriptions/session-ends.ts';
import { createRecordingLogger } from '../../../support/graphql.ts';

const socketOf = (userId: string, sessionId: string, closed: string[]): SignedInSocket => ({
  viewer: { userId, sessionId },
  authorization: `Bearer ${sessionId}`,
  close: (reason) => void closed.push(`${sessionId}: ${reason}`),
});

const sockets = (closed: string[]) => [
  socketOf('ada', 's-ada-1', closed),
  socketOf('ada', 's-ada-2', closed),
  socketOf('bob', 's-bob-1', closed),
];

const live = new Set(['s-ada-2', 's-bob-1']);
const check = async (token: string): Promise<Viewer | null> =>
  live.has(token) ? { userId: token.split('-')[1]!, sessionId: token } : null;

describe('the sockets of ended sessions', () => {
  test('one session ended: its sockets close with the reason, no other', async () => {
    const closed: string[] = [];
    await closeEndedSessions(sockets(closed), { sessionId: 's-ada-1' }, check, createRecordingLogger());
    expect(closed).toEqual([`s-ada-1: ${SESSION_ENDED}`]);
  });

  test('every session of a user ended: all of that user’s sockets close', async () => {
    const closed: string[] = [];
    await closeEndedSessions(sockets(closed), { userId: 'ada' }, check, createRecordingLogger());
    expect(closed).toEqual([`s-ada-1: ${SESSION_ENDED}`, `s-ada-2: ${SESSION_ENDED}`]);
  });

  test('which ended is unknown: each token is checked again, and those no longer valid close', async () => {
    const closed: string[] = [];
    await closeEndedSessions(sockets(closed), null, check, createRecordingLogger());
    expect(closed).toEqual([`s-ada-1: ${SESSION_ENDED}`]);
  });

  test('a check that cannot tell (the database is down) closes nothing', async () => {
    const closed: string[] = [];
    const unavailable = async (): Promise<Viewer | null> => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    await closeEndedSessions(sockets(closed), null, unavailable, createRecordingLogger());
    expect(closed).toEqual([]);
  });
});
