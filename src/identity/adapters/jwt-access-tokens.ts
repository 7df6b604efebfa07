import jwt from 'jsonwebtoken';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../core/ports.ts';
import type { AccessTokenClaims, AccessTokenIssuer } from '../services/ports.ts';
import { signingKey, verificationKeys, type SigningSettings } from './jwt-keys.ts';

export type JwtSettings = {
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  readonly clockToleranceSeconds: number;
  /** HS256 secrets are used as their UTF-8 bytes; RS256 keys are 2048+ bit RSA private keys, PKCS#8 or PKCS#1 PEM. */
  readonly signing: SigningSettings;
  /** Keys still accepted when verifying (rotation): kid -> HS256 secret or RS256 public key PEM. */
  readonly previousKeys: Readonly<Record<string, string>>;
};

/** Any token we do not accept. The message never varies: `reason` (our words, for logs) says why. */
export class InvalidAccessTokenError extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super('Invalid access token');
    this.name = 'InvalidAccessTokenError';
    this.reason = reason;
  }
}

/** What a valid token says: its claims, and when it stops being valid (a WebSocket signed in with it closes then). */
export type VerifiedAccessToken = AccessTokenClaims & { readonly expiresAt: Date };

// `verify` as a function-valued property, not a method: it is handed around unbound (authenticate's verifier).
export type JwtAccessTokens = {
  readonly issuer: AccessTokenIssuer;
  readonly verify: (token: string) => VerifiedAccessToken;
};

/** Refuses an HS256 secret under 32 bytes or an RS256 key that is not an RSA private key of 2048+ bits, saying why. */
export const assertStrongSigningKey = (signing: JwtSettings['signing']): void => void signingKey(signing);

/** Development only: a fresh random HS256 secret per process, so tokens do not survive a restart. */
export const generateDevelopmentSettings = (base: Omit<JwtSettings, 'signing' | 'previousKeys'>): JwtSettings => ({
  ...base,
  signing: {
    algorithm: 'HS256',
    keyId: `dev-${randomBytes(4).toString('hex')}`,
    secret: randomBytes(32).toString('base64url'),
  },
  previousKeys: {},
});

/** Longer than any token we issue by far; refuses megabyte headers before any parsing. */
const MAX_TOKEN_LENGTH = 4096;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const systemClock: Clock = { now: () => new Date() };

const invalid = (reason: string): never => {
  throw new InvalidAccessTokenError(reason);
};

const decodeObject = (segment: string): Record<string, unknown> => {
  const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : invalid('segment is not a JSON object');
};

const checkSettings = (settings: JwtSettings): void => {
  if (!settings.issuer || !settings.audience) throw new Error('JWT settings need an issuer and an audience');
  if (!Number.isSafeInteger(settings.accessTokenTtlSeconds) || settings.accessTokenTtlSeconds <= 0) {
    throw new Error('JWT accessTokenTtlSeconds must be a positive integer');
  }
  if (!(settings.clockToleranceSeconds >= 0)) throw new Error('JWT clockToleranceSeconds must be zero or more');
};

/**
 * Access tokens as JWTs: `kid` header; claims sub (user), sid (session), typ 'access', iss, aud, iat, exp, jti.
 * Both algorithms go through jsonwebtoken, always with the one configured algorithm pinned (whatever the token's
 * header says, which also defeats the HS256-with-the-public-key confusion), issuer, audience and clock tolerance.
 * On top of it: the header's alg must be that algorithm, its kid must name a known key, and `exp` is required
 * (jsonwebtoken only checks it when present), as are typ 'access' and string sub and sid.
 */
export const createJwtAccessTokens = (settings: JwtSettings, clock: Clock = systemClock): JwtAccessTokens => {
  checkSettings(settings);
  const { signing, issuer, audience, clockToleranceSeconds: tolerance } = settings;
  const privateKey = signingKey(signing);
  const keys = verificationKeys(signing, privateKey, settings.previousKeys);
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  /** The claims jsonwebtoken leaves alone: it has checked iss and aud, and exp and nbf only when present. */
  const checkClaims = (claims: Record<string, unknown>): VerifiedAccessToken => {
    const { exp, iat, typ, sub, sid } = claims;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return invalid('no expiry');
    if (iat !== undefined && typeof iat !== 'number') invalid('malformed iat');
    if (typ !== 'access') invalid('not an access token');
    if (typeof sub !== 'string' || sub === '' || typeof sid !== 'string' || sid === '') return invalid('no subject');
    return { userId: sub, sessionId: sid, expiresAt: new Date(exp * 1000) };
  };

  const verifyOrThrow = (token: string): VerifiedAccessToken => {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return invalid('malformed');
    const [header = '', payload = '', signature = '', ...rest] = token.split('.');
    if (rest.length > 0 || ![header, payload, signature].every((part) => SEGMENT.test(part)))
      return invalid('malformed');
    const { alg, kid } = decodeObject(header);
    if (alg !== signing.algorithm) invalid('algorithm not accepted');
    const key = typeof kid === 'string' ? keys.get(kid) : undefined;
    if (!key) return invalid('unknown key');
    const verified = jwt.verify(token, key, {
      algorithms: [signing.algorithm],
      issuer,
      audience,
      clockTolerance: tolerance,
      clockTimestamp: nowSeconds(),
      complete: false,
    });
    return typeof verified === 'string' ? invalid('payload is not an object') : checkClaims(verified);
  };

  return {
    issuer: {
      issue({ userId, sessionId }) {
        const iat = nowSeconds();
        const payload = {
          sub: userId,
          sid: sessionId,
          typ: 'access',
          iss: issuer,
          aud: audience,
          iat,
          exp: iat + settings.accessTokenTtlSeconds,
          jti: randomUUID(),
        };
        const token = jwt.sign(payload, privateKey, { algorithm: signing.algorithm, keyid: signing.keyId });
        return { token, expiresInSeconds: settings.accessTokenTtlSeconds };
      },
    },

    verify(token) {
      try {
        return verifyOrThrow(token);
      } catch (error) {
        // jsonwebtoken's and JSON.parse's messages stay here: callers only ever learn "invalid".
        if (error instanceof InvalidAccessTokenError) throw error;
        if (error instanceof jwt.TokenExpiredError) throw new InvalidAccessTokenError('expired');
        if (error instanceof jwt.NotBeforeError) throw new InvalidAccessTokenError('not valid yet');
        throw new InvalidAccessTokenError('rejected by verification');
      }
    },
  };
};
