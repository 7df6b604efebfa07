import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateDevelopmentSettings, type JwtSettings } from './jwt-access-tokens.ts';
import type { Config } from '../../platform/config.ts';
import type { Logger } from '../../core/ports.ts';

/**
 * Token settings from configuration. Config validation has already refused a weak key anywhere and a missing one
 * in production; development keeps a generated key in .data/ (so restarts keep sessions), tests get a fresh one.
 */
export const jwtSettingsFrom = (config: Config, logger: Logger): JwtSettings => {
  const common = {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
    previousKeys: config.JWT_PREVIOUS_KEYS ?? {},
  };
  if (config.JWT_ALGORITHM === 'RS256' && config.JWT_PRIVATE_KEY) {
    return {
      ...common,
      signing: { algorithm: 'RS256', keyId: config.JWT_KEY_ID, privateKeyPem: config.JWT_PRIVATE_KEY },
    };
  }
  if (config.JWT_ALGORITHM === 'HS256' && config.JWT_SECRET) {
    return { ...common, signing: { algorithm: 'HS256', keyId: config.JWT_KEY_ID, secret: config.JWT_SECRET } };
  }
  if (config.isDevelopment) {
    // Expected in development, not a problem: nothing to warn about (production refuses to start without a key).
    logger.debug({ file: DEVELOPMENT_SECRET_FILE }, 'no JWT signing key is configured: using the development key file');
    return { ...common, signing: { algorithm: 'HS256', keyId: 'development', secret: developmentSecret() } };
  }
  logger.warn({}, 'no JWT signing key is configured: generated one for this process (tokens stop working at restart)');
  return generateDevelopmentSettings(common);
};

/** Kept beside the embedded Postgres data (gitignored), so `npm run dev` restarts do not sign everyone out. */
const DEVELOPMENT_SECRET_FILE = join(import.meta.dirname, '..', '..', '..', '.data', 'jwt-development-secret');

const developmentSecret = (): string => {
  try {
    const existing = readFileSync(DEVELOPMENT_SECRET_FILE, 'utf8').trim();
    if (Buffer.byteLength(existing) >= 32) return existing;
  } catch {
    // first run: create it below
  }
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(DEVELOPMENT_SECRET_FILE), { recursive: true });
  writeFileSync(DEVELOPMENT_SECRET_FILE, secret, { mode: 0o600 });
  return secret;
};
