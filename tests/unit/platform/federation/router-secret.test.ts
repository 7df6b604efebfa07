import { graphql, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../../src/platform/config.ts';
import { createErrorFormatter } from '../../../../src/platform/graphql/errors.ts';
import { createRouterSecret } from '../../../../src/platform/graphql/federation/router-secret.ts';
import { federationSettings } from '../../../../src/platform/graphql/federation/settings.ts';
import { buildSchema, SCHEMA_DIR } from '../../../../src/platform/graphql/schema.ts';
import { callerContext } from '../../../support/request-context.ts';

const SECRET = 'the-router-and-kingdom-share-this-secret-0123456789';

describe('the router secret', () => {
  const secret = createRouterSecret('X-Router-Secret', SECRET);

  it('is read from its header, named in lower case as Node gives header names', () => {
    expect(secret.header).toBe('x-router-secret');
  });

  it('is presented only by the exact value', () => {
    expect(secret.presentedBy(SECRET)).toBe(true);
    expect(secret.presentedBy(`${SECRET} `)).toBe(false);
    expect(secret.presentedBy(SECRET.slice(0, -1))).toBe(false);
    expect(secret.presentedBy('')).toBe(false);
    expect(secret.presentedBy(undefined)).toBe(false);
    // A header sent twice arrives as a list: not the secret, whatever it holds.
    expect(secret.presentedBy([SECRET, SECRET])).toBe(false);
  });

  it('is never presented when none is configured', () => {
    expect(createRouterSecret('x-router-secret', undefined).presentedBy('')).toBe(false);
    expect(createRouterSecret('x-router-secret', undefined).presentedBy('anything')).toBe(false);
  });
});

describe('the federation settings of a process', () => {
  const settingsFor = (environment: Record<string, string>) =>
    federationSettings(loadConfig({ NODE_ENV: 'test', ...environment }, { signsTokens: false }));

  it('build no subgraph and recognise no router when FEDERATION is off, secret or not', () => {
    const settings = settingsFor({ FEDERATION_ROUTER_SECRET: SECRET });

    expect(settings.guard).toBeUndefined();
    expect(settings.presentsRouterSecret({ 'x-router-secret': SECRET })).toBe(false);
  });

  it('require the secret of the router fields exactly when one is configured', () => {
    expect(settingsFor({ FEDERATION: 'true', FEDERATION_ROUTER_SECRET: SECRET }).guard).toEqual({
      secretRequired: true,
    });
    expect(settingsFor({ FEDERATION: 'true' }).guard).toEqual({ secretRequired: false });
  });

  it('recognise the router by the configured header', () => {
    const settings = settingsFor({
      FEDERATION: 'true',
      FEDERATION_ROUTER_SECRET: SECRET,
      FEDERATION_ROUTER_SECRET_HEADER: 'X-Gateway-Key',
    });

    expect(settings.presentsRouterSecret({ 'x-gateway-key': SECRET })).toBe(true);
    expect(settings.presentsRouterSecret({ 'x-router-secret': SECRET })).toBe(false);
  });

  it("let the router's requests past the trusted documents gate, and only them", () => {
    const refusal = { status: 400, headers: new Map(), body: { kind: 'complete', string: 'refused' } } as never;
    const gate = () => refusal;
    const withSecret = (value: string) =>
      ({ method: 'POST', headers: new Map([['x-router-secret', value]]), search: '', body: {} }) as never;
    const settings = settingsFor({ FEDERATION: 'true', FEDERATION_ROUTER_SECRET: SECRET });

    expect(settings.gate(gate)?.(withSecret(SECRET))).toBeUndefined();
    expect(settings.gate(gate)?.(withSecret('guess'))).toBe(refusal);
    expect(settingsFor({ FEDERATION_ROUTER_SECRET: SECRET }).gate(gate)).toBe(gate);
    expect(settings.gate(undefined)).toBeUndefined();
  });
});

describe('the router fields of a subgraph', () => {
  const coreSdl = readFileSync(join(SCHEMA_DIR, 'core.graphql'), 'utf8');
  const subgraph = (secretRequired: boolean): GraphQLSchema =>
    buildSchema(
      {
        typeDefs: [
          coreSdl,
          'extend enum Resource { THING }',
          'type Thing { name: String! } extend type Query { thing: Thing @public } extend type Mutation { ping: Boolean @public }',
        ],
        resolvers: [],
        nodes: {},
        subjects: { THING: { ownership: async () => ({ exists: false, owned: false }) } },
        entities: { Thing: { key: 'name', resolve: async (names) => names.map((name) => ({ name })) } },
      },
      { secretRequired },
    );
  const formatError = createErrorFormatter({ exposeInternals: false });
  const ask = async (schema: GraphQLSchema, presentsRouterSecret: boolean | undefined) => {
    const result = await graphql({
      schema,
      source:
        '{ _service { sdl } _entities(representations: [{ __typename: "Thing", name: "a" }]) { ... on Thing { name } } }',
      contextValue: { ...callerContext(null), presentsRouterSecret },
    });
    return { data: result.data, errors: result.errors?.map((error) => formatError(error.toJSON(), error)) };
  };

  it('answer FORBIDDEN to a caller without the secret, when one is required', async () => {
    for (const presented of [false, undefined]) {
      const { data, errors } = await ask(subgraph(true), presented);

      expect(data).toBeNull();
      expect(errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
      expect(errors?.[0]?.message).toBe("Only the supergraph's router may use _service and _entities");
    }
  });

  it('answer the router, and anyone where no secret is configured', async () => {
    for (const [secretRequired, presented] of [
      [true, true],
      [false, false],
    ] as const) {
      const { data, errors } = await ask(subgraph(secretRequired), presented);

      expect(errors).toBeUndefined();
      expect(data).toEqual({
        _service: { sdl: expect.stringContaining('type Thing @key(fields: "name")') },
        _entities: [{ name: 'a' }],
      });
    }
  });
});
