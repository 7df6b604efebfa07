/**
 * A supergraph in the test process, configured by the very files the how-to ships (docs/how-to/supergraph/):
 * composed as `rover supergraph compose --config supergraph.yaml` composes it (each subgraph's SDL from its file,
 * or from the running server's `_service` with the configured headers; then @apollo/composition, the library
 * rover's composition runs, at the version the file pins), and served by @apollo/gateway applying router.yaml's
 * header rules as Apollo Router applies them. A rule this harness does not know fails the test rather than being
 * skipped, so the shipped files cannot drift from what is tested.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SUPERGRAPH_DIR } from './reviews-subgraph.ts';

type SubgraphSource = {
  readonly routing_url: string;
  readonly schema: { subgraph_url?: string; introspection_headers?: Record<string, string>; file?: string };
};
export type SupergraphConfig = {
  readonly federation_version: string;
  readonly subgraphs: Record<string, SubgraphSource>;
};
type HeaderRule = { propagate?: { named: string }; insert?: { name: string; value: string } };
export type RouterConfig = {
  readonly headers: {
    all?: { request: HeaderRule[] };
    subgraphs?: Record<string, { request: HeaderRule[] }>;
  };
};

const readYaml = <T>(file: string): T => parseYaml(readFileSync(join(SUPERGRAPH_DIR, file), 'utf8')) as T;
export const supergraphConfig = (): SupergraphConfig => readYaml('supergraph.yaml');
export const routerConfig = (): RouterConfig => readYaml('router.yaml');

export type Environment = Readonly<Record<string, string>>;

/** `${env.NAME}`, expanded as rover and the router expand it; an unset variable is an error, as there. */
const expand = (value: string, env: Environment): string =>
  value.replace(/\$\{env\.(\w+)\}/g, (_match, name: string) => {
    const set = env[name];
    if (set === undefined) throw new Error(`\${env.${name}} is not set`);
    return set;
  });

const SERVICE_SDL = z.object({ data: z.object({ _service: z.object({ sdl: z.string() }) }) });

const sdlOf = async (name: string, source: SubgraphSource, url: string, env: Environment): Promise<string> => {
  if (source.schema.file) return readFileSync(join(SUPERGRAPH_DIR, source.schema.file), 'utf8');
  if (!source.schema.subgraph_url) throw new Error(`subgraph ${name}: no schema source this harness knows`);
  const headers = Object.entries(source.schema.introspection_headers ?? {}).map(([header, value]) => [
    header,
    expand(value, env),
  ]);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...Object.fromEntries(headers) },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  // Any subgraph's `_service` (Kingdom's or the reviews one), not an operation of schema/: read by shape.
  const body: unknown = await response.json();
  const answer = SERVICE_SDL.safeParse(body);
  if (!answer.success) throw new Error(`subgraph ${name} refused its SDL: ${JSON.stringify(body)}`);
  return answer.data.data._service.sdl;
};

/** The supergraph SDL, each subgraph routed to the URL the test started it on (routing_url in production). */
export const composeSupergraph = async (urls: Environment, env: Environment): Promise<string> => {
  const subgraphs = await Promise.all(
    Object.entries(supergraphConfig().subgraphs).map(async ([name, source]) => {
      const url = urls[name];
      if (!url) throw new Error(`no server started for subgraph ${name}`);
      return { name, url, typeDefs: parse(await sdlOf(name, source, url, env)) };
    }),
  );
  const composed = composeServices(subgraphs);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
  return composed.supergraphSdl;
};

/** Sets a subgraph request's headers by router.yaml's rules: those for every subgraph, then the subgraph's own. */
const applyRules = (
  rules: readonly HeaderRule[],
  incoming: IncomingHttpHeaders,
  outgoing: Headers,
  env: Environment,
) => {
  for (const rule of rules) {
    if (rule.propagate && Object.keys(rule).length === 1) {
      const value = incoming[rule.propagate.named.toLowerCase()];
      if (typeof value === 'string') outgoing.set(rule.propagate.named, value);
    } else if (rule.insert && Object.keys(rule).length === 1) {
      outgoing.set(rule.insert.name, expand(rule.insert.value, env));
    } else throw new Error(`router.yaml: a header rule this harness does not apply: ${JSON.stringify(rule)}`);
  }
};

type RouterContext = { readonly headers: IncomingHttpHeaders };
export type Router = { readonly url: string; stop(): Promise<void> };

const quiet = { debug: () => {}, info: () => {}, warn: console.warn, error: console.error };

export const startRouter = async (supergraphSdl: string, env: Environment): Promise<Router> => {
  const { headers } = routerConfig();
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: quiet,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<RouterContext>({
        url,
        willSendRequest: ({ request, context }) => {
          const outgoing = request.http?.headers as unknown as Headers;
          const rules = [...(headers.all?.request ?? []), ...(headers.subgraphs?.[name]?.request ?? [])];
          applyRules(rules, context.headers ?? {}, outgoing, env);
        },
      }),
  });
  // @apollo/gateway implements the gateway interface Apollo Server 5 still takes (its 1.x and 2.x types differ
  // only in their own package versions).
  const server = new ApolloServer<RouterContext>({ gateway: gateway as never, logger: quiet });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ headers: req.headers }),
  });
  return { url, stop: () => server.stop() };
};
