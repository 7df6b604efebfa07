import type { Viewer } from '../../../../src/platform/graphql/context.ts';
import {
  createAdmission,
  FORBIDDEN,
  TOO_MANY_CONNECTIONS,
  TRY_AGAIN_LATER,
} from '../../../../src/platform/subscriptions/admission.ts';

const ada: Viewer = { userId: 'ada', sessionId: 's-1', expiresAt: new Date('2030-01-01T00:00:00Z') };
// As identity's: null for a token that is not valid; it throws only when it cannot tell.
const check = async (token: string): Promise<Viewer | null> => {
  if (token === 'down') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  return token === 'ada-token' ? ada : null;
};

describe('who a socket is for, decided at connection_init', () => {
  test('the Authorization entry, whatever its case, is checked like the HTTP header', async () => {
    const admission = createAdmission({ check, perCaller: 10 });
    for (const key of ['Authorization', 'authorization', 'AUTHORIZATION']) {
      expect(await admission.admit({ [key]: 'Bearer ada-token' }, '10.0.0.1')).toEqual({
        admitted: true,
        viewer: ada,
        caller: 'user:ada',
      });
    }
  });

  test('no Authorization entry (or no payload): anonymous, counted by client address', async () => {
    const admission = createAdmission({ check, perCaller: 10 });
    expect(await admission.admit(undefined, '10.0.0.1')).toEqual({
      admitted: true,
      viewer: null,
      caller: 'address:10.0.0.1',
    });
    expect(await admission.admit({ other: 'x' }, '10.0.0.2')).toMatchObject({
      viewer: null,
      caller: 'address:10.0.0.2',
    });
  });

  test.each([
    ['a token the check refuses', { Authorization: 'Bearer forged' }],
    ['another scheme', { Authorization: 'Basic ada-token' }],
    ['a bare token', { Authorization: 'ada-token' }],
    ['a value that is not a string', { Authorization: ['Bearer ada-token'] }],
    ['an empty value', { Authorization: '' }],
  ])('%s: refused with 4403, never anonymous', async (_case, payload) => {
    const admission = createAdmission({ check, perCaller: 10 });
    expect(await admission.admit(payload, '10.0.0.1')).toEqual({
      admitted: false,
      code: FORBIDDEN,
      reason: 'Forbidden: invalid or expired access token',
    });
  });

  test('one socket past perCaller is refused with 4429; releasing one frees its place; callers are counted apart', async () => {
    const admission = createAdmission({ check, perCaller: 2 });
    const ada = { Authorization: 'Bearer ada-token' };
    await admission.admit(ada, '10.0.0.1');
    await admission.admit(ada, '10.0.0.2');

    expect(await admission.admit(ada, '10.0.0.3')).toEqual({
      admitted: false,
      code: TOO_MANY_CONNECTIONS,
      reason: 'Too many connections for this caller',
    });
    expect(await admission.admit(undefined, '10.0.0.1')).toMatchObject({ admitted: true });

    admission.release('user:ada');
    expect(await admission.admit(ada, '10.0.0.3')).toMatchObject({ admitted: true });
  });

  test('a check that cannot tell (the database is unavailable): 1013 Try Again Later, not 4403', async () => {
    const admission = createAdmission({ check, perCaller: 10 });
    expect(await admission.admit({ Authorization: 'Bearer down' }, '10.0.0.1')).toEqual({
      admitted: false,
      code: TRY_AGAIN_LATER,
      reason: 'The database is unavailable; try again shortly',
    });
  });
});
