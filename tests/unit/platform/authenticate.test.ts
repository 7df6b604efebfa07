import { GraphQLError } from 'graphql';
import { ConnectionError } from 'slonik';
import { authenticate } from '../../../src/platform/auth/authenticate.ts';

const ADA = { userId: 'ada', sessionId: 's-1' };

describe('authenticating a request', () => {
  it('is anonymous without an Authorization header, and names the caller of a valid token', async () => {
    expect(await authenticate(undefined, async () => ADA)).toBeNull();
    expect(await authenticate('Bearer a.b.c', async () => ADA)).toEqual(ADA);
  });

  it.each([
    ['a token the check refuses (forged, expired, its session ended)', 'Bearer a.b.c'],
    ['a header that is no bearer token', 'Basic YWRhOnB3'],
  ])('fails the request as UNAUTHENTICATED (401) for %s', async (_case, header) => {
    const error = await authenticate(header, async () => null).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('fails it with HTTP 503 when the check cannot reach the database: not the client’s fault, never "signed out"', async () => {
    const unreachable = new ConnectionError('connect ECONNREFUSED 127.0.0.1:5432');

    const error = await authenticate('Bearer a.b.c', async () => {
      throw unreachable;
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toEqual({ http: { status: 503 } });
    expect((error as GraphQLError).originalError).toBe(unreachable);
  });

  it('lets any other failure of the check through as it is (our bug, not the client’s)', async () => {
    const bug = new TypeError('undefined is not a function');
    await expect(
      authenticate('Bearer a.b.c', async () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
  });
});
