import { LogInDocument, RefreshSessionDocument, SignUpDocument } from '../generated/graphql.ts';
import { sourceOf } from '../support/operation.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

const SIGN_UP = SignUpDocument;
const LOG_IN = LogInDocument;
const REFRESH = RefreshSessionDocument;

const PASSWORD = 'correct horse battery';
let emails = 0;
const newEmail = () => `limited${(emails += 1)}@example.com`;
let addresses = 0;
/** Behind a trusted proxy each test gets its own client address, so the per-address buckets do not mix. */
const newAddress = () => `203.0.113.${(addresses += 1)}`;
const from = (address: string) => ({ 'x-forwarded-for': `198.51.100.7, ${address}` });

const codeOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions?.code;

describe('rate limiting of the authentication mutations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      TRUST_PROXY: 'true',
      RATE_LIMIT_AUTH_PER_ACCOUNT: '3',
      RATE_LIMIT_AUTH_PER_ADDRESS: '5',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  afterAll(() => server.close());

  const signUp = (email: string, address = newAddress(), password = PASSWORD) =>
    server.graphql(SIGN_UP, { input: { email, password, name: 'Pat' } }, from(address));
  const logIn = (email: string, address = newAddress(), password = PASSWORD) =>
    server.graphql(LOG_IN, { input: { email, password } }, from(address));

  test('per account: the 4th attempt for one email is refused even with the right password; another email still works', async () => {
    const email = newEmail();
    const bystander = newEmail();
    expect((await signUp(email)).body.errors).toBeUndefined();
    expect((await signUp(bystander)).body.errors).toBeUndefined();
    // Counted per normalised email, from different addresses: the sign-up was the 1st attempt.
    expect((await logIn(email)).body.errors).toBeUndefined();
    expect((await logIn(`  ${email.toUpperCase()}`)).body.errors).toBeUndefined();
    const refused = await logIn(email);
    expect(refused.status).toBe(200);
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors).toEqual([
      {
        message: 'Too many attempts; try again later',
        path: ['logIn'],
        locations: expect.any(Array),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
      },
    ]);
    const retryAfter = refused.body.errors?.[0]?.extensions?.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await logIn(bystander)).body.errors).toBeUndefined();
  });

  test('per address: the 6th attempt from one address is refused across different emails; other addresses are not', async () => {
    const address = newAddress();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(codeOf(await logIn(newEmail(), address, 'not the password'))).toBe('UNAUTHENTICATED');
    }
    const email = newEmail();
    expect((await signUp(email, address)).body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(codeOf(await logIn(newEmail(), address))).toBe('RATE_LIMITED');
    expect(codeOf(await logIn(newEmail(), newAddress(), 'not the password'))).toBe('UNAUTHENTICATED');
  });

  test('refreshSession is limited per address', async () => {
    const address = newAddress();
    const refresh = () => server.graphql(REFRESH, { input: { refreshToken: 'x'.repeat(43) } }, from(address));
    for (let attempt = 1; attempt <= 5; attempt += 1) expect(codeOf(await refresh())).toBe('UNAUTHENTICATED');
    expect(codeOf(await refresh())).toBe('RATE_LIMITED');
  });

  test('the limiter answers the same for an existing and an unknown account (no enumeration)', async () => {
    const existing = newEmail();
    const unknown = newEmail();
    // One sign-up attempt each: it creates the first account; the second is refused (short password), creating nothing.
    expect((await signUp(existing)).body.errors).toBeUndefined();
    expect(codeOf(await signUp(unknown, newAddress(), 'short'))).toBe('BAD_USER_INPUT');

    const attempt = async (email: string) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from(newAddress()) },
        body: JSON.stringify({
          query: sourceOf(LOG_IN),
          variables: { input: { email, password: 'not the password' } },
        }),
      });
      // Seconds to wait may tick over between the two requests; everything else must match byte for byte.
      return `${response.status} ${(await response.text()).replace(/"retryAfterSeconds":\d+/, '"retryAfterSeconds":N')}`;
    };
    for (let round = 1; round <= 3; round += 1) {
      const [forExisting, forUnknown] = [await attempt(existing), await attempt(unknown)];
      expect(forExisting).toBe(forUnknown);
      expect(forExisting).toContain(round < 3 ? 'UNAUTHENTICATED' : 'RATE_LIMITED');
    }
  });

  test('aliased logIn fields in one request each count', async () => {
    // Mutation fields run one after another and the first non-null failure stops the rest, so the aliases carry the
    // right password: the sign-up is attempt 1, a1 and a2 are attempts 2 and 3, a3 is the 4th and is refused.
    const email = newEmail();
    expect((await signUp(email)).body.errors).toBeUndefined();
    const aliases = [1, 2, 3].map((n) => `a${n}: logIn(input: $input) { expiresIn }`).join('\n');
    const response = await server.graphql(
      `mutation ($input: LogInInput!) { ${aliases} }`,
      { input: { email, password: PASSWORD } },
      from(newAddress()),
    );
    expect(response.body.data).toBeNull();
    expect(response.body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['a3'], 'RATE_LIMITED'],
    ]);
    expect(codeOf(await logIn(email))).toBe('RATE_LIMITED');
  });
});

describe('without TRUST_PROXY the client address is the socket peer', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_AUTH_PER_ADDRESS: '2' });
  });
  afterAll(() => server.close());

  test('X-Forwarded-For is ignored, so a client cannot pick a fresh bucket', async () => {
    const logIn = (n: number) =>
      server.graphql(
        LOG_IN,
        { input: { email: `spoof${n}@example.com`, password: 'not the password' } },
        { 'x-forwarded-for': `192.0.2.${n}` },
      );
    expect(codeOf(await logIn(1))).toBe('UNAUTHENTICATED');
    expect(codeOf(await logIn(2))).toBe('UNAUTHENTICATED');
    expect(codeOf(await logIn(3))).toBe('RATE_LIMITED');
  });
});
