import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { fromGlobalId } from 'graphql-relay';
import jwt from 'jsonwebtoken';
import {
  LogInDocument,
  LogOutDocument,
  RefreshSessionDocument,
  SignUpDocument,
  ViewerDocument,
} from '../generated/graphql.ts';
import { sourceOf } from '../support/operation.ts';
import { startTestServer, TEST_JWT_SECRET, type GraphQLResponse, type TestServer } from './support/server.ts';

const SIGN_UP = SignUpDocument;
const LOG_IN = LogInDocument;
const REFRESH = RefreshSessionDocument;
const LOG_OUT = LogOutDocument;
const VIEWER = ViewerDocument;

type Auth = { accessToken: string; refreshToken: string; expiresIn: number; user: { id: string; email: string } };
const auth = (response: GraphQLResponse, field: string): Auth => {
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.[field] as Auth;
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const codeOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions?.code;

let accounts = 0;
const credentialsOf = ({ email, password }: { email: string; password: string }) => ({ email, password });
const newAccount = () => ({
  email: `person${(accounts += 1)}@example.com`,
  password: 'correct horse battery',
  name: 'Pat',
});

describe('identity over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ LOGIN_MAX_FAILURES: '3' });
  });
  afterAll(() => server.close());

  const signUp = async (account = newAccount()) => ({
    account,
    ...auth(await server.graphql(SIGN_UP, { input: account }), 'signUp'),
  });

  test('signing up returns a working token pair and the user, whom viewer then recognises', async () => {
    const { account, accessToken, refreshToken, expiresIn, user } = await signUp();
    expect(expiresIn).toBe(900);
    expect(refreshToken.length).toBeGreaterThanOrEqual(43);
    expect(user.email).toBe(account.email);
    const viewer = await server.graphql(VIEWER, {}, bearer(accessToken));
    expect(viewer.body.data).toEqual({
      viewer: { id: user.id, email: account.email, name: 'Pat', roles: [{ name: 'member' }] },
    });
  });

  test('no Authorization header is anonymous: viewer is null', async () => {
    expect((await server.graphql(VIEWER)).body).toEqual({ data: { viewer: null } });
  });

  test('an email differing only in case and spaces is taken already (BAD_USER_INPUT), and a short password refused', async () => {
    const { account } = await signUp();
    const again = await server.graphql(SIGN_UP, { input: { ...account, email: `  ${account.email.toUpperCase()} ` } });
    expect(again.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
    const short = await server.graphql(SIGN_UP, { input: { ...newAccount(), password: 'seven77' } });
    expect(short.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
  });

  test('logging in returns a new pair; unknown email and wrong password answer byte for byte the same', async () => {
    const { account } = await signUp();
    const credentials = { email: account.email, password: account.password };
    const ok = auth(await server.graphql(LOG_IN, { input: credentials }), 'logIn');
    expect((await server.graphql(VIEWER, {}, bearer(ok.accessToken))).body.data?.viewer).toMatchObject({
      email: account.email,
    });

    const wrongPassword = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: sourceOf(LOG_IN),
        variables: { input: { ...credentials, password: 'not the password' } },
      }),
    });
    const unknownEmail = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: sourceOf(LOG_IN),
        variables: { input: { email: 'nobody@example.com', password: 'not the password' } },
      }),
    });
    const [wrongBody, unknownBody] = [await wrongPassword.text(), await unknownEmail.text()];
    expect(wrongPassword.status).toBe(unknownEmail.status);
    expect(wrongBody).toBe(unknownBody);
    expect(JSON.parse(wrongBody).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('after too many wrong passwords even the right one is refused, with the same answer; others are unaffected', async () => {
    const account = credentialsOf((await signUp()).account);
    const bystander = credentialsOf((await signUp()).account);
    const wrong = { ...account, password: 'wrong password!' };
    const failures = await Promise.all([1, 2, 3].map(() => server.graphql(LOG_IN, { input: wrong })));
    expect(failures.map(codeOf)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    const locked = await server.graphql(LOG_IN, { input: account });
    expect(locked.body).toEqual(failures[0]?.body);
    expect(codeOf(await server.graphql(LOG_IN, { input: bystander }))).toBeUndefined();
  });

  test('aliased logIn fields cannot smuggle guesses: the first failure stops the request and is counted', async () => {
    const account = credentialsOf((await signUp()).account);
    const field = (alias: string, password: string) =>
      `${alias}: logIn(input: { email: ${JSON.stringify(account.email)}, password: ${JSON.stringify(password)} }) { accessToken }`;
    // Mutation fields run one after another; a failed non-null field ends the request, so the right guess in
    // `b` never runs and no token leaks.
    const aliased = await server.graphql(
      `mutation { ${field('a', 'wrong password!')} ${field('b', account.password)} }`,
    );
    expect(aliased.body.data).toBeNull();
    expect(aliased.body.errors?.map((error) => error.path)).toEqual([['a']]);
    // The aliased attempt counted: two more failures reach the limit of three.
    await server.graphql(LOG_IN, { input: { ...account, password: 'wrong password!' } });
    await server.graphql(LOG_IN, { input: { ...account, password: 'wrong password!' } });
    expect(codeOf(await server.graphql(LOG_IN, { input: account }))).toBe('UNAUTHENTICATED');
  });

  test('a refresh rotates the pair; replaying the retired token revokes the whole session family', async () => {
    const first = await signUp();
    const second = auth(
      await server.graphql(REFRESH, { input: { refreshToken: first.refreshToken } }),
      'refreshSession',
    );
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await server.graphql(VIEWER, {}, bearer(second.accessToken))).body.data?.viewer).toMatchObject({
      id: first.user.id,
    });

    const replay = await server.graphql(REFRESH, { input: { refreshToken: first.refreshToken } });
    expect(codeOf(replay)).toBe('UNAUTHENTICATED');
    // The thief's replay cost the legitimate holder the session too: both must sign in again.
    expect(codeOf(await server.graphql(REFRESH, { input: { refreshToken: second.refreshToken } }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  test('two parallel refreshes with the same token: exactly one succeeds', async () => {
    const { refreshToken } = await signUp();
    const results = await Promise.all([1, 2].map(() => server.graphql(REFRESH, { input: { refreshToken } })));
    expect(results.map((result) => (result.body.errors ? 'failed' : 'ok')).sort()).toEqual(['failed', 'ok']);
  });

  test('logging out revokes the session of that refresh token; an unknown token answers false', async () => {
    const { refreshToken } = await signUp();
    expect((await server.graphql(LOG_OUT, { input: { refreshToken } })).body.data).toEqual({ logOut: true });
    expect(codeOf(await server.graphql(REFRESH, { input: { refreshToken } }))).toBe('UNAUTHENTICATED');
    expect((await server.graphql(LOG_OUT, { input: { refreshToken: 'never-issued' } })).body.data).toEqual({
      logOut: false,
    });
  });

  describe('tokens an attacker might send', () => {
    let victim: Awaited<ReturnType<typeof signUp>>;
    beforeAll(async () => {
      victim = await signUp();
    });

    // Tokens name the user by UUID (the API shows users by their opaque global id) and a live session of theirs.
    const claims = () => ({
      sub: fromGlobalId(victim.user.id).id,
      sid: (jwt.decode(victim.accessToken) as { sid: string }).sid,
      typ: 'access',
    });
    const sign = (payload: object, options: jwt.SignOptions = {}) =>
      jwt.sign(payload, TEST_JWT_SECRET, {
        algorithm: 'HS256',
        keyid: 'k1',
        issuer: 'kingdom',
        audience: 'kingdom-api',
        ...('exp' in payload ? {} : { expiresIn: 60 }),
        ...options,
      });
    /** No exp claim at all: jsonwebtoken itself would accept such a token unless told to require one. */
    const signWithoutExpiry = (payload: object) =>
      jwt.sign(payload, TEST_JWT_SECRET, {
        algorithm: 'HS256',
        keyid: 'k1',
        issuer: 'kingdom',
        audience: 'kingdom-api',
      });
    const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

    test('a token forged with the right key and claims is accepted (so the refusals below are about the flaw)', async () => {
      const { body } = await server.graphql(VIEWER, {}, bearer(sign(claims())));
      expect(body.data?.viewer).toMatchObject({ id: victim.user.id });
    });

    test('a token with the right key and claims but a session that does not exist is refused', async () => {
      const response = await server.graphql(VIEWER, {}, bearer(sign({ ...claims(), sid: randomUUID() })));
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    const now = () => Math.floor(Date.now() / 1000);
    const cases: Array<[string, () => string]> = [
      [
        'alg none',
        () =>
          `${base64url({ alg: 'none', typ: 'JWT', kid: 'k1' })}.${base64url({ ...claims(), iss: 'kingdom', aud: 'kingdom-api', exp: now() + 60 })}.`,
      ],
      [
        'a tampered payload',
        () => {
          const [header, , signature] = victim.accessToken.split('.');
          return `${header}.${base64url({ ...claims(), sub: '00000000-0000-0000-0000-000000000000', iss: 'kingdom', aud: 'kingdom-api', exp: now() + 60 })}.${signature}`;
        },
      ],
      ['a wrong issuer', () => sign(claims(), { issuer: 'evil' })],
      ['a wrong audience', () => sign(claims(), { audience: 'another-api' })],
      ['an expired token', () => sign({ ...claims(), exp: now() - 3600 })],
      ['a token not valid before next hour', () => sign(claims(), { notBefore: 3600 })],
      ['no exp at all', () => signWithoutExpiry(claims())],
      ['a refresh-typed token', () => sign({ ...claims(), typ: 'refresh' })],
      ['an unknown key id', () => sign(claims(), { keyid: 'k9' })],
      ['the refresh token itself', () => victim.refreshToken],
      ['garbage', () => 'abc'],
      ['three dots of garbage', () => 'a.b.c'],
    ];
    test.each(cases)('%s is UNAUTHENTICATED (401), never anonymous', async (_case, token) => {
      const response = await server.graphql(VIEWER, {}, bearer(token()));
      expect(response.status).toBe(401);
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
      expect(response.body.data).toBeUndefined();
    });

    test.each([['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer two tokens'], ['']])(
      'an Authorization header of %j is UNAUTHENTICATED',
      async (header) => {
        const response = await server.graphql(VIEWER, {}, { authorization: header });
        expect(codeOf(response)).toBe('UNAUTHENTICATED');
      },
    );

    test('an oversized Authorization header is refused by the HTTP layer (431)', async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${'a'.repeat(20_000)}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status).toBe(431);
    });

    test('an access token is not a refresh token', async () => {
      const response = await server.graphql(REFRESH, { input: { refreshToken: victim.accessToken } });
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
    });
  });
});

describe('asymmetric signing (RS256) with a key id', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      JWT_ALGORITHM: 'RS256',
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      JWT_KEY_ID: 'rs-1',
    });
  });
  afterAll(() => server.close());

  test('issues RS256 tokens carrying the key id, which verify with the public key and which the server accepts', async () => {
    const { accessToken } = auth(await server.graphql(SIGN_UP, { input: newAccount() }), 'signUp');
    expect(JSON.parse(Buffer.from(accessToken.split('.')[0] ?? '', 'base64url').toString())).toMatchObject({
      alg: 'RS256',
      kid: 'rs-1',
    });
    expect(
      jwt.verify(accessToken, publicPem, { algorithms: ['RS256'], issuer: 'kingdom', audience: 'kingdom-api' }),
    ).toMatchObject({
      typ: 'access',
    });
    expect((await server.graphql(VIEWER, {}, bearer(accessToken))).body.data?.viewer).not.toBeNull();
  });

  test('refuses an HS256 token "signed" with the public key (algorithm confusion)', async () => {
    const { user } = auth(await server.graphql(SIGN_UP, { input: newAccount() }), 'signUp');
    const forged = jwt.sign({ sub: fromGlobalId(user.id).id, sid: 'x', typ: 'access' }, publicPem, {
      algorithm: 'HS256',
      keyid: 'rs-1',
      issuer: 'kingdom',
      audience: 'kingdom-api',
      expiresIn: 60,
    });
    expect(codeOf(await server.graphql(VIEWER, {}, bearer(forged)))).toBe('UNAUTHENTICATED');
  });
});

describe('the bootstrap administrator', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      KINGDOM_ADMIN_EMAIL: 'Root@Example.com',
      KINGDOM_ADMIN_PASSWORD: 'a strong admin password',
    });
  });
  afterAll(() => server.close());

  test('exists with the admin role and can log in', async () => {
    const { accessToken } = auth(
      await server.graphql(LOG_IN, { input: { email: 'root@example.com', password: 'a strong admin password' } }),
      'logIn',
    );
    const { body } = await server.graphql(VIEWER, {}, bearer(accessToken));
    expect(body.data?.viewer).toMatchObject({
      email: 'root@example.com',
      roles: [{ name: 'admin' }, { name: 'member' }],
    });
  });
});
