/**
 * The shape of the authorization matrix (tests/e2e/authorization.test.ts). Each bounded context contributes its
 * part from its own file in this folder (`export const matrix: MatrixPart`): the fixtures its rows work on, what its
 * resources add to the roles of the `scoped` and `star` callers, and one row per root field, guarded object field
 * and entity (`Type.__resolveReference`: the server runs as a federation subgraph) of its SDL. The test collects every part it finds here, so adding a context adds a file and removing one
 * removes it; the test fails when the rows do not cover exactly the fields of the schema.
 */
import type { GraphQLResponse, TestServer } from '../support/server.ts';

/**
 * The five callers every row is sent as: no token; an account holding no role; `scoped`, whose role names one
 * instance of each resource (the parts say which); `star`, whose role selects every instance (`*`) for some
 * actions; and the built-in administrator, who may do everything.
 */
export type Caller = 'anonymous' | 'noRole' | 'scoped' | 'star' | 'admin';
export const CALLERS: readonly Caller[] = ['anonymous', 'noRole', 'scoped', 'star', 'admin'];

export type Policy = { readonly resource: string; readonly actions: string[]; readonly selectors: string[] };
export const ALL_ACTIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE'];

/** The password of every account the matrix signs up. */
export const PASSWORD = 'authorization test password';
/** An account with no role at all, set up before any part: rows may log in as it, or grant it roles. */
export const VICTIM_EMAIL = 'victim@example.com';

/** What one caller got from one field: its data, null, or the error code at that field (or below it). */
export type Outcome = 'ok' | 'null' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT';

/** The accounts the matrix made before the parts' roles: what policies and variables may name. */
export type Accounts = { readonly scoped: string; readonly victim: string };

/** What a part's fixtures and hooks may use. */
export type MatrixHarness = {
  readonly server: TestServer;
  /**
   * Sends an operation as one of the callers (`admin`: the built-in administrator); `viaRouter`: as the supergraph
   * router forwards it, with the caller's token and the router's shared secret.
   */
  as(
    caller: Caller,
    query: string,
    variables?: Record<string, unknown>,
    options?: { readonly viaRouter?: boolean },
  ): Promise<GraphQLResponse>;
  /** The data of a response that must have succeeded; throws with the response otherwise. */
  data<TData>(response: GraphQLResponse<TData>): TData;
  /** Set once the accounts exist (before any row runs, after the fixtures). */
  readonly accounts: Accounts;
};

export type Row = {
  readonly operation: string;
  /**
   * Sent as the supergraph router forwards a caller's request (the server runs as a federation subgraph): the rows of
   * entity resolution (`Product.__resolveReference`...), whose `_entities` only the router may use.
   */
  readonly viaRouter?: boolean;
  readonly variables?: (caller: Caller, accounts: Accounts) => Record<string, unknown>;
  /** Which field's outcome to read: the root field unless an object field is under test. */
  readonly field?: string;
  /** The value that is 'null' when the caller gets nothing (default: the root field's). */
  readonly value?: (data: Record<string, unknown>) => unknown;
  readonly expect: Readonly<Record<Caller, Outcome>>;
  /** Runs once before the row's five requests (e.g. a fresh token for each caller). */
  readonly beforeRow?: (harness: MatrixHarness) => Promise<void>;
  /** Runs before each caller's request (e.g. putting back what the previous caller's request changed). */
  readonly beforeCaller?: (caller: Caller, harness: MatrixHarness) => Promise<void>;
  /**
   * Subscription rows (sent over WebSocket): the change, made as the administrator once the caller follows, that
   * a caller allowed to subscribe then receives. A refused caller hears its error at once, before any change.
   */
  readonly trigger?: (caller: Caller, harness: MatrixHarness) => Promise<void>;
};

export type MatrixPart = {
  /** Instances the rows work on, made (as the administrator) before the callers and their roles exist. */
  readonly fixtures?: (harness: MatrixHarness) => Promise<void>;
  /** The policies this context's resources add to the `scoped` caller's role and to the `star` caller's role. */
  readonly policies?: (accounts: Accounts) => { readonly scoped?: Policy[]; readonly star?: Policy[] };
  /** One row per root field and guarded object field of the context's SDL, keyed `Type.field`. */
  readonly rows: Readonly<Record<string, Row>>;
};

// Outcome presets, for rows whose callers get what most rows of their kind get.

/** Everyone gets the data. */
export const publicField = { anonymous: 'ok', noRole: 'ok', scoped: 'ok', star: 'ok', admin: 'ok' } as const;

/** One instance by its key: a caller who may not read it gets null, as for one that does not exist. */
export const readsOneInstance = {
  anonymous: 'UNAUTHENTICATED',
  noRole: 'null',
  scoped: 'ok',
  star: 'ok',
  admin: 'ok',
} as const;

/** A subscription to one instance by its key: a caller who may not read it is refused as if it did not exist. */
export const followsOneInstance = {
  anonymous: 'UNAUTHENTICATED',
  noRole: 'NOT_FOUND',
  scoped: 'ok',
  star: 'ok',
  admin: 'ok',
} as const;

/** A list: callers with a grant on some instance see those; without any grant, FORBIDDEN. */
export const listsInstances = {
  anonymous: 'UNAUTHENTICATED',
  noRole: 'FORBIDDEN',
  scoped: 'ok',
  star: 'ok',
  admin: 'ok',
} as const;

/** A change that the scoped role (the instance named) and the star role (every instance) both grant. */
export const writtenByScopedAndStar = {
  anonymous: 'UNAUTHENTICATED',
  noRole: 'NOT_FOUND',
  scoped: 'ok',
  star: 'ok',
  admin: 'ok',
} as const;

/**
 * A change that only the scoped role grants: star may read every instance but not change it (FORBIDDEN), a caller
 * who may not even read it gets NOT_FOUND (ids cannot be probed).
 */
export const writtenByScopedOnly = {
  anonymous: 'UNAUTHENTICATED',
  noRole: 'NOT_FOUND',
  scoped: 'ok',
  star: 'FORBIDDEN',
  admin: 'ok',
} as const;

/** A denied CREATE says FORBIDDEN to every signed-in caller: it tells nothing about what exists. */
export const createdBy = (allowed: Record<string, 'ok' | 'FORBIDDEN'>) =>
  ({
    anonymous: 'UNAUTHENTICATED',
    noRole: 'FORBIDDEN',
    scoped: 'FORBIDDEN',
    star: 'FORBIDDEN',
    admin: 'ok',
    ...allowed,
  }) as const;
