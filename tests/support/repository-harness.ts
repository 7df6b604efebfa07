import type { DatabaseTransactionConnection } from 'slonik';
import type { DomainEvent } from '../../src/core/messages.ts';
import type { EventRecorder } from '../../src/core/ports.ts';
import { createPgMemDatabase, type PgMemDatabase } from './pg-mem.ts';

export type RepositoryHarness<Repository> = {
  /** A fresh pg-mem database with the committed migrations, per test. */
  readonly database: PgMemDatabase;
  /** Events the repositories handed over, per test. */
  readonly recorded: DomainEvent[];
  /** What repositories built by `inTransaction` report to; for repositories a test builds itself. */
  readonly recorder: EventRecorder;
  /** Runs `work` in one transaction with a repository over it, as the unit of work does. */
  inTransaction<T>(work: (repository: Repository, connection: DatabaseTransactionConnection) => Promise<T>): Promise<T>;
};

/** Registers beforeEach/afterEach for repository tests on pg-mem and returns the per-test state. */
export const useRepositoryHarness = <Repository>(
  create: (connection: DatabaseTransactionConnection, events: EventRecorder) => Repository,
): RepositoryHarness<Repository> => {
  const state = { database: undefined as PgMemDatabase | undefined, recorded: [] as DomainEvent[] };
  const recorder: EventRecorder = { record: (events) => void state.recorded.push(...events) };
  beforeEach(async () => {
    state.database = await createPgMemDatabase();
    state.recorded = [];
  });
  afterEach(async () => state.database?.end());
  const database = (): PgMemDatabase => {
    if (!state.database) throw new Error('the repository harness is only usable inside a test');
    return state.database;
  };
  return {
    get database() {
      return database();
    },
    get recorded() {
      return state.recorded;
    },
    recorder,
    inTransaction(work) {
      return database().pool.transaction((connection) => work(create(connection, recorder), connection));
    },
  };
};
