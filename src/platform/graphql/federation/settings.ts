import type { HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../../config.ts';
import { createRouterSecret, type RouterGuard } from './router-secret.ts';

type Gate = (request: HTTPGraphQLRequest) => HTTPGraphQLResponse | undefined;

/** What FEDERATION and its router secret mean for one API process (src/app.ts). */
export type FederationSettings = {
  /** The schema's router guard (`buildApplicationSchema`); undefined when the server is no subgraph. */
  readonly guard: RouterGuard | undefined;
  /** Whether a request presents the router's shared secret; never when the server is no subgraph or has none. */
  presentsRouterSecret(headers: IncomingHttpHeaders): boolean;
  /**
   * The trusted documents gate with the router's requests let through: its query plans are operations it writes
   * itself, never in a client's manifest (trusted documents are the router's to enforce, see the how-to).
   */
  gate(gate: Gate | undefined): Gate | undefined;
};

export const federationSettings = (config: Config): FederationSettings => {
  const secret = createRouterSecret(
    config.FEDERATION_ROUTER_SECRET_HEADER,
    config.FEDERATION ? config.FEDERATION_ROUTER_SECRET : undefined,
  );
  return {
    guard: config.FEDERATION ? { secretRequired: config.FEDERATION_ROUTER_SECRET !== undefined } : undefined,
    presentsRouterSecret: (headers) => secret.presentedBy(headers[secret.header]),
    gate: (gate) =>
      gate && config.FEDERATION
        ? (request) => (secret.presentedBy(request.headers.get(secret.header)) ? undefined : gate(request))
        : gate,
  };
};
