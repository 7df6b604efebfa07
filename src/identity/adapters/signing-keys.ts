import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

const readSecret = (file: string): string | undefined => {
  try {
    const existing = readFileSync(file, 'utf8').trim();
    return Buffer.byteLength(existing) >= 32 ? existing : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Every process of the checkout (two API instances, the API and `npm run db:seed`) must sign with the same key. The
 * key is written to a file of its own, then linked into place: the link either succeeds with the whole key in it or
 * fails because another process got there first, whose key is then read. (Writing the file in place, a process
 * starting at that moment would read it empty or half-written and replace it with its own.)
 */
export const developmentSecret = (file = DEVELOPMENT_SECRET_FILE): string => {
  const existing = readSecret(file);
  if (existing) return existing;
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, secret, { mode: 0o600 });
  try {
    linkSync(draft, file);
    return secret;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    const theirs = readSecret(file);
    if (theirs) return theirs;
    // It holds no usable key (written by hand, or cut short): replace it.
    renameSync(draft, file);
    return secret;
  } finally {
    rmSync(draft, { force: true });
  }
};
