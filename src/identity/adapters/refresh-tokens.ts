import { createHash, randomBytes } from 'node:crypto';
import type { RefreshTokenFactory } from '../services/ports.ts';

/** 256 bits: beyond guessing, so a fast unsalted hash is enough to store them (unlike passwords). */
const TOKEN_BYTES = 32;

/** Opaque refresh tokens: 32 random bytes as base64url (43 characters); stored as their SHA-256 in hex. */
export const createRefreshTokenFactory = (): RefreshTokenFactory => ({
  generate: () => randomBytes(TOKEN_BYTES).toString('base64url'),
  hash: (token) => createHash('sha256').update(token, 'utf8').digest('hex'),
});
