import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';

export type SigningAlgorithm = 'HS256' | 'RS256';

export type SigningSettings =
  | { readonly algorithm: 'HS256'; readonly keyId: string; readonly secret: string }
  | { readonly algorithm: 'RS256'; readonly keyId: string; readonly privateKeyPem: string };

/** RFC 7518 3.2: an HS256 key must be at least as long as the hash output, 256 bits. */
export const MIN_HS256_SECRET_BYTES = 32;
/** RFC 7518 3.3: an RS256 key must be 2048 bits or larger (jsonwebtoken refuses smaller ones only when signing). */
export const MIN_RSA_MODULUS_BITS = 2048;

const secretKey = (secret: string, label: string): KeyObject => {
  // A public key used as an HMAC secret lets anyone holding it forge tokens: the classic algorithm confusion, here
  // reachable by configuration (say, RS256 public keys left in previousKeys after switching to HS256).
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

/** An RSA key of 2048+ bits, or a start-up error saying what is wrong with it. */
const rsaKey = (load: () => KeyObject, label: string, kind: 'private' | 'public'): KeyObject => {
  let key: KeyObject;
  try {
    key = load();
  } catch {
    throw new Error(`${label} is not a valid PEM ${kind} key`);
  }
  // 'rsa' only: jsonwebtoken refuses RSA-PSS keys for RS256, and anything else (EC, Edwards, DSA) is not RSA at all.
  if (key.asymmetricKeyType !== 'rsa') {
    throw new Error(`${label} is a ${key.asymmetricKeyType ?? 'unknown'} key; RS256 needs an RSA ${kind} key`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) {
    throw new Error(
      `${label} is a ${bits}-bit RSA key; RS256 needs at least ${MIN_RSA_MODULUS_BITS} bits. Generate one with: ` +
        'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072',
    );
  }
  return key;
};

const rsaPublicKey = (pem: string, label: string): KeyObject => {
  // createPublicKey would quietly derive the public half of a private key: a private key has no business in the
  // list of keys that only verify, so say so rather than accept it.
  if (pem.includes('PRIVATE KEY')) throw new Error(`${label} is a private key; list the RSA public key (PEM) instead`);
  return rsaKey(() => createPublicKey(pem), label, 'public');
};

const label = (what: string, keyId: string) => `JWT ${what} "${keyId}"`;

/** The key that signs new tokens; throws a message fit for a start-up error when it is weak or malformed. */
export const signingKey = (signing: SigningSettings): KeyObject => {
  if (signing.keyId.trim() === '') throw new Error('The JWT signing key needs a non-empty keyId (the `kid` header)');
  // PKCS#8 ("BEGIN PRIVATE KEY") and PKCS#1 ("BEGIN RSA PRIVATE KEY") PEM both load here.
  return signing.algorithm === 'HS256'
    ? secretKey(signing.secret, label('signing secret', signing.keyId))
    : rsaKey(() => createPrivateKey(signing.privateKeyPem), label('signing key', signing.keyId), 'private');
};

/**
 * Every key a token may name in its `kid`, all for the one configured algorithm: the current key (its public half
 * for RS256) and the previous ones still accepted during a rotation. A Map, so a `kid` like "__proto__" finds nothing.
 */
export const verificationKeys = (
  signing: SigningSettings,
  current: KeyObject,
  previousKeys: Readonly<Record<string, string>>,
): ReadonlyMap<string, KeyObject> => {
  const keys = new Map<string, KeyObject>();
  for (const [keyId, material] of Object.entries(previousKeys)) {
    const what = label('previous key', keyId);
    keys.set(keyId, signing.algorithm === 'HS256' ? secretKey(material, what) : rsaPublicKey(material, what));
  }
  keys.set(signing.keyId, signing.algorithm === 'HS256' ? current : createPublicKey(current));
  return keys;
};
