import { createPrivateKey, createPublicKey, createSecretKey, sign, verify, type KeyObject } from 'node:crypto';

export type SigningSettings =
  | { readonly algorithm: 'HS256'; readonly keyId: string; readonly secret: string }
  | { readonly algorithm: 'EdDSA'; readonly keyId: string; readonly privateKeyPem: string };

/** RFC 7518 3.2: an HS256 key must be at least as long as the hash output, 256 bits. */
export const MIN_HS256_SECRET_BYTES = 32;
const EDDSA_CURVES = new Set(['ed25519', 'ed448']);

const secretKey = (secret: string, label: string): KeyObject => {
  // A public key used as an HMAC secret lets anyone holding it forge tokens: the classic algorithm confusion, here
  // reachable by configuration (say, EdDSA public keys left in previousKeys after switching to HS256).
  if (secret.includes('-----BEGIN')) throw new Error(`${label} is a PEM key, not an HS256 shared secret`);
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_HS256_SECRET_BYTES) {
    throw new Error(
      `${label} is ${bytes} bytes long; HS256 needs a random secret of at least ${MIN_HS256_SECRET_BYTES} bytes ` +
        `(256 bits). Generate one with: node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`,
    );
  }
  return createSecretKey(Buffer.from(secret, 'utf8'));
};

const edwardsKey = (load: () => KeyObject, label: string, kind: string): KeyObject => {
  let key: KeyObject;
  try {
    key = load();
  } catch {
    throw new Error(`${label} is not a valid PEM ${kind} key`);
  }
  if (!EDDSA_CURVES.has(key.asymmetricKeyType ?? '')) {
    throw new Error(`${label} is a ${key.asymmetricKeyType ?? 'unknown'} key; EdDSA needs an Ed25519 or Ed448 key`);
  }
  return key;
};

const label = (what: string, keyId: string) => `JWT ${what} "${keyId}"`;

/** The key that signs new tokens; throws a message fit for a start-up error when it is weak or malformed. */
export const signingKey = (signing: SigningSettings): KeyObject => {
  if (signing.keyId.trim() === '') throw new Error('The JWT signing key needs a non-empty keyId (the `kid` header)');
  return signing.algorithm === 'HS256'
    ? secretKey(signing.secret, label('signing secret', signing.keyId))
    : edwardsKey(() => createPrivateKey(signing.privateKeyPem), label('signing key', signing.keyId), 'private');
};

/**
 * Every key a token may name in its `kid`, all for the one configured algorithm: the current key (its public half
 * for EdDSA) and the previous ones still accepted during a rotation. A Map, so a `kid` like "__proto__" finds nothing.
 */
export const verificationKeys = (
  signing: SigningSettings,
  current: KeyObject,
  previousKeys: Readonly<Record<string, string>>,
): ReadonlyMap<string, KeyObject> => {
  const keys = new Map<string, KeyObject>();
  for (const [keyId, material] of Object.entries(previousKeys)) {
    const what = label('previous key', keyId);
    keys.set(
      keyId,
      signing.algorithm === 'HS256'
        ? secretKey(material, what)
        : edwardsKey(() => createPublicKey(material), what, 'public'),
    );
  }
  keys.set(signing.keyId, signing.algorithm === 'HS256' ? current : createPublicKey(current));
  return keys;
};

const base64url = (value: object): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * Compact JWS with EdDSA (RFC 8037), done with node:crypto because jsonwebtoken 9 (and the jwa it uses) only
 * knows HMAC, RSA and ECDSA. Only signing and the signature check live here; claims are checked by the caller.
 */
export const signEdDsa = (payload: object, keyId: string, privateKey: KeyObject): string => {
  const input = `${base64url({ alg: 'EdDSA', typ: 'JWT', kid: keyId })}.${base64url(payload)}`;
  return `${input}.${sign(null, Buffer.from(input, 'ascii'), privateKey).toString('base64url')}`;
};

/** True when `signature` (base64url) is `publicKey`'s signature over `header.payload`. */
export const hasValidEdDsaSignature = (header: string, payload: string, signature: string, publicKey: KeyObject): boolean =>
  verify(null, Buffer.from(`${header}.${payload}`, 'ascii'), publicKey, Buffer.from(signature, 'base64url'));
