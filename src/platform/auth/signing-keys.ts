import { randomBytes } from 'node:crypto';
import type { JwtSettings } from '../../identity/adapters/jwt-access-tokens.ts';
import type { Config } from '../config.ts';
import type { AppLogger } from '../logger.ts';

/**
 * Token settings from configuration. Config validation has already refused a weak key anywhere and a missing one
 * in production; in development and tests a missing key is generated for this process (tokens then die with it).
 */
export const jwtSettingsFrom = (config: Config, logger: AppLogger): JwtSettings => {
  const common = {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
    previousKeys: config.JWT_PREVIOUS_KEYS ?? {},
  };
  if (config.JWT_ALGORITHM === 'RS256' && config.JWT_PRIVATE_KEY) {
    return { ...common, signing: { algorithm: 'RS256', keyId: config.JWT_KEY_ID, privateKeyPem: config.JWT_PRIVATE_KEY } };
  }
  if (config.JWT_ALGORITHM === 'HS256' && config.JWT_SECRET) {
    return { ...common, signing: { algorithm: 'HS256', keyId: config.JWT_KEY_ID, secret: config.JWT_SECRET } };
  }
  logger.warn(
    'no JWT signing key is configured: generated a random one for this process (tokens stop working at restart); ' +
      'set JWT_SECRET (32+ bytes) to keep them',
  );
  return {
    ...common,
    signing: { algorithm: 'HS256', keyId: 'generated', secret: randomBytes(48).toString('base64url') },
  };
};
