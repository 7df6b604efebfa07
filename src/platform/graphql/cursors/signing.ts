/**
 * Signed cursors: every cursor the API hands out is `<inner>.<key id>.<mac>`, where the MAC is an HMAC-SHA256
 * (truncated to 128 bits) over the inner cursor and what it is bound to: the connection field, its sort arguments
 * and the caller. A cursor of another list, another order or another caller, or one edited by hand, verifies as
 * nothing. Keys rotate as the access token keys do: new cursors are signed with the current key, and cursors of the
 * previous keys are still accepted.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a cursor is valid for. */
export type CursorBinding = {
  /** The connection field's schema coordinate, e.g. `Query.products` or `Product.batches`. */
  readonly field: string;
  /** Its sort arguments, canonically serialised (`orderBy`), or '' when it has none. */
  readonly order: string;
  /** Who asked for it: the caller's user id, '' when anonymous. */
  readonly caller: string;
};

export type CursorKeys = {
  /** Signs every new cursor; must be a key of `keys`. */
  readonly currentKeyId: string;
  /** Key id -> secret (its UTF-8 bytes are the HMAC key): the current key and the previous ones still accepted. */
  readonly keys: ReadonlyMap<string, string>;
};

export type CursorSigner = {
  sign(inner: string, binding: CursorBinding): string;
  /** The inner cursor, or null when `signed` was not issued by us for this binding. */
  verify(signed: string, binding: CursorBinding): string | null;
};

const MAC_BYTES = 16;
const KEY_ID = /^[\w-]{1,64}$/;

/** One process's throwaway keys, for development and tests without CURSOR_SECRET: cursors die with the process. */
export const ephemeralCursorKeys = (): CursorKeys => ({
  currentKeyId: 'ephemeral',
  keys: new Map([['ephemeral', randomBytes(32).toString('base64url')]]),
});

export const createCursorSigner = ({ currentKeyId, keys }: CursorKeys): CursorSigner => {
  for (const [keyId, secret] of keys) {
    if (!KEY_ID.test(keyId)) throw new Error(`cursor key id "${keyId}" must be 1-64 letters, digits, _ or -`);
    if (Buffer.byteLength(secret) < 32) throw new Error(`cursor key "${keyId}" must be at least 32 bytes`);
  }
  const current = keys.get(currentKeyId);
  if (current === undefined) throw new Error(`the current cursor key "${currentKeyId}" is not among the keys`);

  const macOf = (secret: string, inner: string, { field, order, caller }: CursorBinding): Buffer =>
    createHmac('sha256', secret)
      .update(JSON.stringify([inner, field, order, caller]))
      .digest()
      .subarray(0, MAC_BYTES);

  return {
    sign: (inner, binding) => `${inner}.${currentKeyId}.${macOf(current, inner, binding).toString('base64url')}`,

    verify(signed, binding) {
      const macAt = signed.lastIndexOf('.');
      const keyAt = signed.lastIndexOf('.', macAt - 1);
      if (keyAt <= 0) return null;
      const [inner, keyId, presented] = [
        signed.slice(0, keyAt),
        signed.slice(keyAt + 1, macAt),
        signed.slice(macAt + 1),
      ];
      const secret = keys.get(keyId);
      if (secret === undefined) return null;
      const given = Buffer.from(presented, 'base64url');
      // Node's decoder skips what is not base64url: only the exact encoding of a MAC of the right size counts.
      if (given.length !== MAC_BYTES || given.toString('base64url') !== presented) return null;
      return timingSafeEqual(given, macOf(secret, inner, binding)) ? inner : null;
    },
  };
};
