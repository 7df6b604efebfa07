import type { Config } from '../../platform/config.ts';
import type { Logger } from '../../core/ports.ts';
import type {
  AccessTokenIssuer,
  IdentityPolicy,
  OpaqueTokenFactory,
  PasswordHasher,
  RefreshTokenFactory,
} from '../services/ports.ts';
import { createArgon2PasswordHasher } from './argon2-password-hasher.ts';
import { createJwtAccessTokens, type VerifiedAccessToken } from './jwt-access-tokens.ts';
import { createPasswordResetTokenFactory, createRefreshTokenFactory } from './refresh-tokens.ts';
import { jwtSettingsFrom } from './signing-keys.ts';

/** The crypto adapters of identity's handlers, and the token check the shell authenticates requests with. */
export type IdentityAdapters = {
  readonly hasher: PasswordHasher;
  readonly accessTokens: AccessTokenIssuer;
  readonly refreshTokens: RefreshTokenFactory;
  readonly resetTokens: OpaqueTokenFactory;
  readonly policy: IdentityPolicy;
  /** Verifies an access token's signature and claims; throws on anything wrong with it. */
  readonly verifyAccessToken: (token: string) => VerifiedAccessToken;
};

export const identityPolicyFrom = (config: Config): IdentityPolicy => ({
  maxFailures: config.LOGIN_MAX_FAILURES,
  lockoutMs: config.LOGIN_LOCKOUT_SECONDS * 1000,
  refreshTokenTtlMs: config.REFRESH_TOKEN_TTL_SECONDS * 1000,
  passwordResetTtlMs: config.PASSWORD_RESET_TTL_MINUTES * 60_000,
  passwordResetEmailIntervalMs: config.PASSWORD_RESET_EMAIL_INTERVAL_SECONDS * 1000,
  passwordResetMinResponseMs: config.PASSWORD_RESET_MIN_RESPONSE_MS,
});

/** Production adapters from configuration: argon2id passwords, JWT access tokens signed with the configured key. */
export const identityAdaptersFrom = (config: Config, logger: Logger): IdentityAdapters => {
  const tokens = createJwtAccessTokens(jwtSettingsFrom(config, logger));
  return {
    hasher: createArgon2PasswordHasher(),
    accessTokens: tokens.issuer,
    refreshTokens: createRefreshTokenFactory(),
    resetTokens: createPasswordResetTokenFactory(),
    policy: identityPolicyFrom(config),
    verifyAccessToken: (token) => tokens.verify(token),
  };
};
