import { createHash, randomBytes } from 'node:crypto';
import type { OpaqueTokenFactory } from '../services/ports.ts';

/** 256 bits: beyond guessing, so a fast unsalted hash is enough to store them (unlike passwords). */
const TOKEN_BYTES = 32;

/** Opaque secret tokens: 32 random bytes as base64url (43 characters); stored as their SHA-256 in hex. */
const createOpaqueTokenFactory = (): OpaqueTokenFactory => ({
  generate: () => randomBytes(TOKEN_BYTES).toString('base64url'),
  hash: (token) => createHash('sha256').update(token, 'utf8').digest('hex'),
});

export const createRefreshTokenFactory = createOpaqueTokenFactory;
/** The tokens of password reset links: the same kind, URL-safe as they are (base64url). */
export const createPasswordResetTokenFactory = createOpaqueTokenFactory;
