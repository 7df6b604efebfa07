/**
 * A plain graphql-ws client (the library Apollo Client's GraphQLWsLink wraps) over Node's own WebSocket: subscribes
 * to one of the documents next to it, with the variables of its .variables.json, and prints every result as one
 * JSON line until Ctrl-C.
 *
 *   KINGDOM_TOKEN=<accessToken from 01-log-in> node examples/subscriptions/subscribe.ts \
 *     examples/subscriptions/product-changed.graphql
 *
 * KINGDOM_URL is the API's address (default http://127.0.0.1:4000/graphql): WebSocket shares it. Progress goes to
 * stderr, results to stdout.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';

const [documentFile] = process.argv.slice(2);
if (!documentFile) {
  console.error('usage: KINGDOM_TOKEN=<access token> node examples/subscriptions/subscribe.ts <document.graphql>');
  process.exit(2);
}
const url = (process.env.KINGDOM_URL ?? 'http://127.0.0.1:4000/graphql').replace(/^http/, 'ws');
const variablesFile = documentFile.replace(/\.graphql$/, '.variables.json');
const variables = existsSync(variablesFile)
  ? (JSON.parse(readFileSync(variablesFile, 'utf8')) as Record<string, unknown>)
  : {};

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  // Sent in connection_init, where the server reads the token an HTTP request carries in its header. A function, so
  // that a reconnection (after the server restarts, or closes an expired token's socket with 4403) sends the token
  // of that moment: a real client refreshes it here.
  connectionParams: () => (process.env.KINGDOM_TOKEN ? { Authorization: `Bearer ${process.env.KINGDOM_TOKEN}` } : {}),
  on: {
    connected: () => console.error(`connected to ${url}`),
    closed: (event) => console.error(`closed: ${(event as CloseEvent).code} ${(event as CloseEvent).reason}`),
  },
});

type Failure = ReadonlyArray<{ readonly message: string; readonly extensions?: { readonly code?: string } }>;

const follow = (): void => {
  client.subscribe(
    { query: readFileSync(documentFile, 'utf8'), variables },
    {
      next: (result) => console.log(JSON.stringify(result)),
      error: (error) => {
        const failure = Array.isArray(error) ? (error as Failure) : [];
        // The server may have missed changes (its database connection dropped): subscribe again, and read the
        // current state (a query) before trusting what follows.
        if (failure.some((each) => each.extensions?.code === 'SUBSCRIPTION_INTERRUPTED')) {
          console.error('interrupted: subscribing again');
          setTimeout(follow, 1000);
          return;
        }
        console.error('ended:', JSON.stringify(error));
        process.exitCode = 1;
        void client.dispose();
      },
      complete: () => void client.dispose(),
    },
  );
};
follow();
process.once('SIGINT', () => void client.dispose());
