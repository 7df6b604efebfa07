import type {
  AccessTokenClaims,
  AccessTokenIssuer,
  OpaqueTokenFactory,
  RefreshTokenFactory,
} from '../../../src/identity/services/ports.ts';

/** Deterministic, readable access tokens ('access:<user>:<session>:<n>'); remembers the claims it signed. */
export class FakeAccessTokenIssuer implements AccessTokenIssuer {
  readonly issued: AccessTokenClaims[] = [];
  readonly #expiresInSeconds: number;

  constructor(expiresInSeconds = 900) {
    this.#expiresInSeconds = expiresInSeconds;
  }

  issue(claims: AccessTokenClaims): { token: string; expiresInSeconds: number } {
    this.issued.push(claims);
    return {
      token: `access:${claims.userId}:${claims.sessionId}:${this.issued.length}`,
      expiresInSeconds: this.#expiresInSeconds,
    };
  }
}

/** Refresh tokens 'refresh-1', 'refresh-2'...; the stored hash of a token is 'h:' + token. */
export class FakeRefreshTokenFactory implements RefreshTokenFactory {
  #count = 0;

  generate(): string {
    this.#count += 1;
    return `refresh-${this.#count}`;
  }

  hash(token: string): string {
    return `h:${token}`;
  }
}

/** Reset tokens 'reset-1', 'reset-2'...; the stored hash of a token is 'rh:' + token. Counts both, for parity tests. */
export class FakeResetTokenFactory implements OpaqueTokenFactory {
  generated = 0;
  hashed = 0;

  generate(): string {
    this.generated += 1;
    return `reset-${this.generated}`;
  }

  hash(token: string): string {
    this.hashed += 1;
    return `rh:${token}`;
  }
}
