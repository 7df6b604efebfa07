import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  assertStrongSigningKey,
  createJwtAccessTokens,
  generateDevelopmentSettings,
  InvalidAccessTokenError,
  type JwtSettings,
} from '../../../src/identity/adapters/jwt-access-tokens.ts';
import { createRefreshTokenFactory } from '../../../src/identity/adapters/refresh-tokens.ts';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0) / 1000;
const clock = { now: () => new Date(NOW * 1000) };
const base = {
  issuer: 'https://kingdom.test',
  audience: 'kingdom-api',
  accessTokenTtlSeconds: 900,
  clockToleranceSeconds: 5,
};

const hsSecret = 'k'.repeat(24) + '-0123456789abcdef-hs256';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPrivatePem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const hs256: JwtSettings = {
  ...base,
  signing: { algorithm: 'HS256', keyId: 'hs-1', secret: hsSecret },
  previousKeys: {},
};
const rs256: JwtSettings = {
  ...base,
  signing: { algorithm: 'RS256', keyId: 'rs-1', privateKeyPem: rsaPrivatePem },
  previousKeys: {},
};

// Tokens are forged by hand here with node:crypto, independent of the code under test and of jsonwebtoken.
const segment = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const hmacToken = (header: object, payload: object, secret: string | Buffer, hash = 'sha256') => {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
};
/** RS256 is RSASSA-PKCS1-v1_5 with SHA-256, node:crypto's default padding for an RSA key. */
const rsaToken = (header: object, payload: object, privateKey: KeyObject, hash = 'sha256') => {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${sign(hash, Buffer.from(input), privateKey).toString('base64url')}`;
};

const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'user-1',
  sid: 'session-1',
  typ: 'access',
  iss: base.issuer,
  aud: base.audience,
  iat: NOW,
  exp: NOW + 900,
  jti: 'jti-1',
  ...overrides,
});
const without = (name: string) => Object.fromEntries(Object.entries(claims()).filter(([key]) => key !== name));

const setups = [
  {
    name: 'HS256',
    settings: hs256,
    forge: (payload: object, header: object = {}) =>
      hmacToken({ alg: 'HS256', typ: 'JWT', kid: 'hs-1', ...header }, payload, hsSecret),
    // Same key, same family, another hash: jsonwebtoken would take it if the algorithm were not pinned.
    sibling: () => hmacToken({ alg: 'HS512', typ: 'JWT', kid: 'hs-1' }, claims(), hsSecret, 'sha512'),
  },
  {
    name: 'RS256',
    settings: rs256,
    forge: (payload: object, header: object = {}) =>
      rsaToken({ alg: 'RS256', typ: 'JWT', kid: 'rs-1', ...header }, payload, rsa.privateKey),
    sibling: () => rsaToken({ alg: 'RS512', typ: 'JWT', kid: 'rs-1' }, claims(), rsa.privateKey, 'sha512'),
  },
] as const;

const rejection = (verify: () => unknown): unknown => {
  try {
    verify();
  } catch (error) {
    return error;
  }
  throw new Error('the token was accepted');
};

describe.each(setups)('JWT access tokens signed with $name', ({ settings, forge, sibling }) => {
  const tokens = createJwtAccessTokens(settings, clock);
  const expectRejected = (token: string) => {
    const error = rejection(() => tokens.verify(token));
    expect(error).toBeInstanceOf(InvalidAccessTokenError);
    // Never the library's wording: one message for every failure.
    expect((error as Error).message).toBe('Invalid access token');
  };

  it('accepts a token it issued and answers its user and session', () => {
    const { token, expiresInSeconds } = tokens.issuer.issue({ userId: 'user-1', sessionId: 'session-1' });

    expect(expiresInSeconds).toBe(900);
    expect(tokens.verify(token)).toEqual({
      userId: 'user-1',
      sessionId: 'session-1',
      expiresAt: new Date((NOW + 900) * 1000),
    });
  });

  it('issues kid in the header and sub, sid, typ, iss, aud, iat, exp = iat + ttl and a unique jti', () => {
    const first = jwt.decode(tokens.issuer.issue({ userId: 'u', sessionId: 's' }).token, { complete: true });
    const second = jwt.decode(tokens.issuer.issue({ userId: 'u', sessionId: 's' }).token, { complete: true });

    expect(first?.header).toMatchObject({ alg: settings.signing.algorithm, kid: settings.signing.keyId });
    expect(first?.payload).toEqual({
      sub: 'u',
      sid: 's',
      typ: 'access',
      iss: base.issuer,
      aud: base.audience,
      iat: NOW,
      exp: NOW + 900,
      jti: expect.any(String),
    });
    expect((first?.payload as jwt.JwtPayload).jti).not.toBe((second?.payload as jwt.JwtPayload).jti);
  });

  it('accepts a hand-made token with valid claims (the forging helper is sound)', () => {
    expect(tokens.verify(forge(claims()))).toMatchObject({ userId: 'user-1', sessionId: 'session-1' });
  });

  it('refuses alg "none" with an empty signature', () => {
    expectRejected(`${segment({ alg: 'none', typ: 'JWT', kid: settings.signing.keyId })}.${segment(claims())}.`);
  });

  it('refuses a token whose payload was changed after signing', () => {
    const [header, , signature] = forge(claims()).split('.');
    expectRejected(`${header}.${segment(claims({ sub: 'admin-user' }))}.${signature}`);
  });

  it.each([
    ['another issuer', claims({ iss: 'https://evil.test' })],
    ['another audience', claims({ aud: 'other-api' })],
    ['expired beyond the clock tolerance', claims({ exp: NOW - 6 })],
    ['not valid before a time beyond the tolerance', claims({ nbf: NOW + 60 })],
    ['no exp at all', without('exp')],
    ['typ refresh', claims({ typ: 'refresh' })],
    ['no typ', without('typ')],
    ['no sub', without('sub')],
    ['no sid', without('sid')],
    ['a numeric sub', claims({ sub: 42 })],
    ['an empty sid', claims({ sid: '' })],
    ['a string iat', claims({ iat: String(NOW) })],
    ['padding that makes it longer than 4096 characters', claims({ pad: 'x'.repeat(4096) })],
  ])('refuses a validly signed token with %s', (_case, payload) => {
    expectRejected(forge(payload));
  });

  it('accepts a token expired by less than the clock tolerance', () => {
    expect(tokens.verify(forge(claims({ exp: NOW - 3 })))).toMatchObject({ userId: 'user-1', sessionId: 'session-1' });
  });

  it.each([
    ['an unknown kid', { kid: 'someone-elses-key' }],
    ['no kid', { kid: undefined }],
    ['a kid naming an Object prototype property', { kid: '__proto__' }],
  ])('refuses a token with %s', (_case, header) => {
    expectRejected(forge(claims(), header));
  });

  it.each([
    ['an empty string', ''],
    ['one word', 'abc'],
    ['three tiny segments', 'a.b.c'],
    ['10k characters', 'x'.repeat(10_000)],
    ['four segments', 'a.b.c.d'],
    ['a refresh token', createRefreshTokenFactory().generate()],
  ])('refuses %s', (_case, token) => {
    expectRejected(token);
  });

  it('refuses a token validly signed with the same key but a sibling algorithm (a 512-bit hash)', () => {
    expectRejected(sibling());
  });

  it('refuses a token signed with the other algorithm by the same configuration name', () => {
    const other =
      settings.signing.algorithm === 'HS256'
        ? rsaToken({ alg: 'RS256', kid: 'hs-1' }, claims(), rsa.privateKey)
        : hmacToken({ alg: 'HS256', kid: 'rs-1' }, claims(), hsSecret);
    expectRejected(other);
  });
});

describe('JWT algorithm confusion', () => {
  it('refuses an HS256 token whose HMAC secret is the RS256 public key PEM', () => {
    const tokens = createJwtAccessTokens(rs256, clock);
    const forged = hmacToken({ alg: 'HS256', typ: 'JWT', kid: 'rs-1' }, claims(), rsaPublicPem);

    expect(() => tokens.verify(forged)).toThrow(InvalidAccessTokenError);
  });

  it("refuses an expired token without leaking jsonwebtoken's TokenExpiredError", () => {
    const tokens = createJwtAccessTokens(hs256, clock);
    const expired = jwt.sign(claims({ exp: NOW - 60 }), hsSecret, { algorithm: 'HS256', keyid: 'hs-1' });

    const error = rejection(() => tokens.verify(expired));
    expect(error).toBeInstanceOf(InvalidAccessTokenError);
    expect(error).not.toBeInstanceOf(jwt.TokenExpiredError);
  });
});

describe('JWT key rotation', () => {
  const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const nextPem = next.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const newHsSecret = 'n'.repeat(40);

  it.each([
    ['HS256', hs256, { algorithm: 'HS256', keyId: 'hs-2', secret: newHsSecret }, hsSecret],
    ['RS256', rs256, { algorithm: 'RS256', keyId: 'rs-2', privateKeyPem: nextPem }, rsaPublicPem],
  ] as const)(
    '%s: a token signed with a previous key verifies while that key is listed, not after',
    (_alg, old, signing, oldKey) => {
      const token = createJwtAccessTokens(old, clock).issuer.issue({ userId: 'user-1', sessionId: 'session-1' }).token;
      const rotating = createJwtAccessTokens({ ...old, signing, previousKeys: { [old.signing.keyId]: oldKey } }, clock);
      const rotated = createJwtAccessTokens({ ...old, signing, previousKeys: {} }, clock);

      expect(rotating.verify(token)).toMatchObject({ userId: 'user-1', sessionId: 'session-1' });
      expect(rotating.verify(rotating.issuer.issue({ userId: 'u', sessionId: 's' }).token)).toMatchObject({
        userId: 'u',
        sessionId: 's',
      });
      expect(() => rotated.verify(token)).toThrow(InvalidAccessTokenError);
    },
  );
});

describe('JWT signing key strength', () => {
  it('refuses an HS256 secret of 31 bytes, saying 32 bytes are needed', () => {
    expect(() => assertStrongSigningKey({ algorithm: 'HS256', keyId: 'k', secret: 'x'.repeat(31) })).toThrow(
      /at least 32 bytes/,
    );
  });

  it('accepts an HS256 secret of 32 bytes', () => {
    expect(() => assertStrongSigningKey({ algorithm: 'HS256', keyId: 'k', secret: 'x'.repeat(32) })).not.toThrow();
  });

  const rs256Key = (privateKeyPem: string) => () =>
    assertStrongSigningKey({ algorithm: 'RS256', keyId: 'k', privateKeyPem });
  const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'spki') => key.export({ type, format: 'pem' }).toString();

  it('accepts an RSA private key of 2048 bits as PKCS#8 or PKCS#1 PEM', () => {
    expect(rs256Key(rsaPrivatePem)).not.toThrow();
    expect(rs256Key(pem(rsa.privateKey, 'pkcs1'))).not.toThrow();
  });

  it('refuses an RSA key under 2048 bits, saying 2048 bits are needed', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });

    expect(rs256Key(pem(small.privateKey, 'pkcs8'))).toThrow(/1024-bit RSA key; RS256 needs at least 2048 bits/);
    expect(() => createJwtAccessTokens({ ...rs256, previousKeys: { old: pem(small.publicKey, 'spki') } })).toThrow(
      /previous key "old" is a 1024-bit RSA key/,
    );
  });

  it('refuses an RS256 key that is not an RSA private key in PEM', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

    expect(rs256Key(pem(ec.privateKey, 'pkcs8'))).toThrow(/is a ec key; RS256 needs an RSA private key/);
    expect(rs256Key(rsaPublicPem)).toThrow(/not a valid PEM private key/);
    expect(rs256Key('nope')).toThrow(/not a valid PEM private key/);
    expect(() => createJwtAccessTokens({ ...rs256, previousKeys: { old: pem(ec.publicKey, 'spki') } })).toThrow(
      /previous key "old" is a ec key/,
    );
    expect(() => createJwtAccessTokens({ ...rs256, previousKeys: { old: hsSecret } })).toThrow(
      /previous key "old" is not a valid PEM public key/,
    );
  });

  it('refuses a private key among the previous RS256 keys, which only verify', () => {
    expect(() => createJwtAccessTokens({ ...rs256, previousKeys: { old: rsaPrivatePem } })).toThrow(
      /previous key "old" is a private key/,
    );
  });

  it('refuses to start with a weak previous HS256 key', () => {
    expect(() => createJwtAccessTokens({ ...hs256, previousKeys: { old: 'short' } })).toThrow(
      /previous key "old".*32 bytes/,
    );
  });

  it('refuses a PEM key as an HS256 secret, current or previous (it would let holders of a public key forge tokens)', () => {
    expect(() => assertStrongSigningKey({ algorithm: 'HS256', keyId: 'k', secret: rsaPublicPem })).toThrow(/PEM key/);
    expect(() => createJwtAccessTokens({ ...hs256, previousKeys: { 'rs-1': rsaPublicPem } })).toThrow(
      /previous key "rs-1" is a PEM key/,
    );
  });

  it('generates development settings with a strong random secret that round-trips', () => {
    const settings = generateDevelopmentSettings(base);
    const tokens = createJwtAccessTokens(settings);

    expect(() => assertStrongSigningKey(settings.signing)).not.toThrow();
    expect(tokens.verify(tokens.issuer.issue({ userId: 'u', sessionId: 's' }).token)).toMatchObject({
      userId: 'u',
      sessionId: 's',
    });
    expect(generateDevelopmentSettings(base).signing).not.toEqual(settings.signing);
  });
});
