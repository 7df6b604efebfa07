import { hash, hashSync, verify, type Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import type { PasswordHasher } from '../services/ports.ts';

export type Argon2Parameters = {
  /** KiB of memory per hash. */
  readonly memoryCost: number;
  /** Passes over the memory. */
  readonly timeCost: number;
  /** Lanes (threads). */
  readonly parallelism: number;
};

/** OWASP Password Storage Cheat Sheet's floor for argon2id: 19 MiB, 2 passes, 1 lane. */
export const OWASP_ARGON2ID_MINIMUM: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// `Algorithm` is an ambient const enum, which isolatedModules forbids reading at runtime: use its value.
const ARGON2ID = 2 as Algorithm;
const PHC = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** The algorithm and parameters a stored hash names, or null when it is not an argon2 PHC string. */
export const parseArgon2Hash = (
  stored: string,
): (Argon2Parameters & { readonly algorithm: string; readonly version: number }) | null => {
  const match = PHC.exec(stored);
  if (!match) return null;
  const [, algorithm = '', version, memoryCost, timeCost, parallelism] = match;
  return {
    algorithm,
    version: Number(version),
    memoryCost: Number(memoryCost),
    timeCost: Number(timeCost),
    parallelism: Number(parallelism),
  };
};

/**
 * argon2id through @node-rs/argon2 (native, off the event loop). The stored string is the PHC format
 * `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`, so raising the parameters later is just a new `params`:
 * `needsRehash` then flags older hashes and log-in replaces them.
 *
 * Synchronous on purpose: the dummy hash is computed once, here, with the blocking variant (tens of milliseconds at
 * start-up), so the composition root can stay synchronous and no log-in ever waits for it.
 */
export const createArgon2PasswordHasher = (params: Argon2Parameters = OWASP_ARGON2ID_MINIMUM): PasswordHasher => {
  const options = { algorithm: ARGON2ID, ...params };
  const dummyHash = hashSync(randomBytes(32).toString('base64url'), options);

  return {
    hash: (password) => hash(password, options),

    async verify(storedHash, password) {
      // A corrupt or foreign hash string means "no match", never a crash of the log-in.
      if (parseArgon2Hash(storedHash) === null) return false;
      try {
        return await verify(storedHash, password);
      } catch {
        return false;
      }
    },

    needsRehash(storedHash) {
      const stored = parseArgon2Hash(storedHash);
      return (
        stored === null ||
        stored.algorithm !== 'argon2id' ||
        stored.version !== 19 ||
        stored.memoryCost < params.memoryCost ||
        stored.timeCost < params.timeCost ||
        stored.parallelism < params.parallelism
      );
    },

    dummyHash,
  };
};
