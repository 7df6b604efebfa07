import { createRefreshTokenFactory } from '../../../src/identity/adapters/refresh-tokens.ts';

describe('refresh tokens', () => {
  const tokens = createRefreshTokenFactory();

  it('are at least 256 bits of base64url', () => {
    const token = tokens.generate();

    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(256);
  });

  it('never repeat', () => {
    const generated = new Set(Array.from({ length: 1000 }, () => tokens.generate()));

    expect(generated.size).toBe(1000);
  });

  it('are stored as a deterministic SHA-256 hex digest that is not the token itself', () => {
    const token = tokens.generate();

    expect(tokens.hash(token)).toBe(tokens.hash(token));
    expect(tokens.hash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.hash(token)).not.toBe(token);
    expect(tokens.hash(tokens.generate())).not.toBe(tokens.hash(token));
  });
});
