/**
 * Trusted documents through the real HTTP shell and Apollo, without a database: which requests Apollo parses,
 * which it never sees. Apollo calls `parsingDidStart` only when it really parses a document (not for one its
 * document store already holds), so a plugin counting those calls measures the parsing each request cost.
 */
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { jest } from '@jest/globals';
import { createApolloServer } from '../../../src/platform/graphql/apollo.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { buildApplicationSchema } from '../../../src/schema.ts';
import type { TrustedDocuments } from '../../../src/platform/graphql/trusted-documents/apollo-options.ts';
import { createTrustedDocumentsGate } from '../../../src/platform/graphql/trusted-documents/gate.ts';
import {
  createManifest,
  indexOperations,
  operationId,
} from '../../../src/platform/graphql/trusted-documents/manifest.ts';
import { createUnknownOperationLog } from '../../../src/platform/graphql/trusted-documents/unknown-operations.ts';
import { startBareHttpServer, stopBareHttpServer } from '../../support/bare-http-server.ts';
import { createRecordingLogger } from '../../support/graphql.ts';
import { callerContext } from '../../support/request-context.ts';

const VIEWER = 'query Viewer { viewer { id email } }';
const UNKNOWN = 'query Typename { __typename }';
/** Far past the token limit: parsing it would stop with "The document is too large". */
const HUGE = `query Huge { ${'__typename '.repeat(20_000)}}`;
const manifest = createManifest([{ id: operationId(VIEWER), name: 'Viewer', type: 'query', body: VIEWER }]);

type Running = {
  post(body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  readonly counts: { parses: number; validations: number; contexts: number };
  readonly unknown: ReturnType<typeof createUnknownOperationLog>;
  readonly logger: ReturnType<typeof createRecordingLogger>;
  readonly apollo: ApolloServer<GraphQLContext>;
  stop(): Promise<void>;
};

/** An anonymous caller: `viewer` answers null without touching a database. */
const anonymous = (logger: GraphQLContext['logger']): GraphQLContext =>
  ({ ...callerContext(null), requestId: 'test', logger }) as unknown as GraphQLContext;

const start = async (mode: TrustedDocuments['mode']): Promise<Running> => {
  const trusted: TrustedDocuments =
    mode === 'off' ? { mode } : { mode, operations: indexOperations(manifest), source: 'test manifest' };
  const counts = { parses: 0, validations: 0, contexts: 0 };
  const counter: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async parsingDidStart() {
          counts.parses += 1;
        },
        async validationDidStart() {
          counts.validations += 1;
        },
      };
    },
  };
  const apollo = createApolloServer<GraphQLContext>({
    schema: buildApplicationSchema(),
    isDevelopment: false,
    trustedDocuments: trusted,
  });
  apollo.addPlugin(counter);
  await apollo.start();
  const logger = createRecordingLogger();
  const unknown = createUnknownOperationLog(logger);
  const { http, origin } = await startBareHttpServer({
    apollo,
    gate: createTrustedDocumentsGate(trusted, unknown.record),
    createContext: async () => {
      counts.contexts += 1;
      return anonymous(logger);
    },
    bodyLimitBytes: 1024 * 1024,
  });
  const url = `http://${origin}/graphql`;
  return {
    counts,
    unknown,
    logger,
    apollo,
    post: async (body) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    stop: async () => {
      await stopBareHttpServer(http);
      await apollo.stop();
    },
  };
};

const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
const NOT_IN_LIST = { errors: [{ message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }] };

describe('TRUSTED_DOCUMENTS=enforce', () => {
  let server: Running;
  // Apollo logs what it masks through its own logger, which takes hold of the console when the server is made.
  let apolloLog: ReturnType<typeof jest.spyOn>;
  beforeAll(async () => {
    apolloLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    server = await start('enforce');
  });
  afterAll(async () => {
    await server.stop();
    apolloLog.mockRestore();
  });
  beforeEach(() => Object.assign(server.counts, { parses: 0, validations: 0, contexts: 0 }));

  it('runs a manifest operation by body and by id without parsing or validating it, the first time too', async () => {
    expect(await server.post({ query: VIEWER })).toEqual({ status: 200, body: { data: { viewer: null } } });
    expect(await server.post(byId(operationId(VIEWER)))).toEqual({ status: 200, body: { data: { viewer: null } } });

    expect(server.counts).toEqual({ parses: 0, validations: 0, contexts: 2 });
  });

  it('refuses a huge unknown document before anything is parsed, or even a request context built', async () => {
    expect(await server.post({ query: HUGE })).toEqual({ status: 400, body: NOT_IN_LIST });
    expect(await server.post({ query: UNKNOWN })).toEqual({ status: 400, body: NOT_IN_LIST });

    expect(server.counts).toEqual({ parses: 0, validations: 0, contexts: 0 });
    expect(server.unknown.count()).toBeGreaterThanOrEqual(2);
  });

  it('cannot be taught an operation through automatic persisted queries', async () => {
    const id = operationId(UNKNOWN);

    expect(await server.post({ query: UNKNOWN, ...byId(id) })).toEqual({ status: 400, body: NOT_IN_LIST });
    expect(await server.post(byId(id))).toEqual({ status: 400, body: NOT_IN_LIST });
    expect(server.counts.parses).toBe(0);
  });

  it('refuses, as an internal error and before parsing, an unknown operation that reaches Apollo past the gate', async () => {
    const context = anonymous(server.logger);

    await expect(server.apollo.executeOperation({ query: UNKNOWN }, { contextValue: context })).rejects.toThrow(
      'Internal server error',
    );
    expect(apolloLog).toHaveBeenCalledWith(expect.stringMatching(/not in the trusted documents but got past/));
    expect(server.counts.parses).toBe(0);
  });
});

describe('TRUSTED_DOCUMENTS=log', () => {
  let server: Running;
  beforeAll(async () => {
    server = await start('log');
  });
  afterAll(() => server.stop());

  it('runs an unknown operation (parsed once, then from Apollo’s cache), logs it once and counts every time', async () => {
    expect(await server.post({ query: UNKNOWN, operationName: 'Typename' })).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
    expect(await server.post({ query: UNKNOWN, operationName: 'Typename' })).toMatchObject({ status: 200 });
    expect(await server.post({ query: VIEWER })).toMatchObject({ status: 200 });

    expect(server.counts.parses).toBe(1);
    expect(server.unknown.count()).toBe(2);
    expect(server.logger.entries.filter((entry) => entry.level === 'warn')).toEqual([
      {
        level: 'warn',
        object: { operationName: 'Typename', hash: operationId(UNKNOWN), refused: false, unknownOperations: 1 },
        message: 'ran an operation that is not in the trusted documents (TRUSTED_DOCUMENTS=log)',
      },
    ]);
  });

  it('still answers a huge unknown document with the limit it breaks (it is parsed, up to the token limit)', async () => {
    const { status, body } = await server.post({ query: HUGE });

    expect(status).toBe(400);
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });
});

describe('TRUSTED_DOCUMENTS=off', () => {
  it('parses a document the first time it comes (what a manifest spares)', async () => {
    const server = await start('off');
    try {
      await server.post({ query: VIEWER });
      await server.post({ query: VIEWER });
      expect(server.counts.parses).toBe(1);
    } finally {
      await server.stop();
    }
  });
});
