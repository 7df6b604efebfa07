/**
 * Kingdom as a subgraph in e2e tests: the settings that turn federation on, and what a supergraph router sends
 * with each request (its shared secret, in the default header).
 */
export const TEST_ROUTER_SECRET = 'the-e2e-router-shares-this-secret-with-kingdom-0123456789';

/** startTestServer's environment for a subgraph whose router fields only the router may use. */
export const SUBGRAPH_ENVIRONMENT: Readonly<Record<string, string>> = {
  FEDERATION: 'true',
  FEDERATION_ROUTER_SECRET: TEST_ROUTER_SECRET,
};

/** The header the router adds to every subgraph request (FEDERATION_ROUTER_SECRET_HEADER's default). */
export const ROUTER_HEADERS: Readonly<Record<string, string>> = { 'x-router-secret': TEST_ROUTER_SECRET };
