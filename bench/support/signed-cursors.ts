/**
 * Cursors as the API hands them out: signed at the GraphQL boundary for the connection field, its `orderBy` (the
 * schema's default included) and the caller (src/platform/graphql/cursors/). A benchmark builds a deep page's cursor
 * itself (paging through a million rows to reach it would take minutes), so it signs it with the key it gave the
 * server, for the caller it signs in as; each benchmark then asks the server once to prove the cursor is the one it
 * issues for that row.
 */
import { createCursorSigner } from '../../src/platform/graphql/cursors/signing.ts';
import { cursorOf, type KeyRow, type Ordering } from './dataset.ts';

/** The key the benchmark's servers sign with (CURSOR_KEY_ID, CURSOR_SECRET). */
export type BenchCursorKey = { readonly keyId: string; readonly secret: string };

/** The user an access token was issued to (its `sub` claim), read without verifying: we signed in ourselves. */
const userOfToken = (token: string): string => {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
  if (typeof claims.sub !== 'string') throw new Error('the access token names no user (sub)');
  return claims.sub;
};

/** `Query.products`' cursor of `row` in `ordering`, as the server gives it to the holder of `token`. */
export const productsCursorSigner = ({ keyId, secret }: BenchCursorKey, token: string) => {
  const signer = createCursorSigner({ currentKeyId: keyId, keys: new Map([[keyId, secret]]) });
  const caller = userOfToken(token);
  return (ordering: Ordering, row: KeyRow): string =>
    signer.sign(cursorOf(ordering, row), {
      field: 'Query.products',
      // Canonical (keys sorted), as the server binds it.
      order: JSON.stringify({ orderBy: { direction: ordering.direction, field: ordering.field } }),
      caller,
    });
};
