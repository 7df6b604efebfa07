/**
 * The floor of the chosen stack for `{ __typename }`: Apollo Server 5 alone, answering through
 * `executeHTTPGraphQLRequest` (its own HTTP semantics: content negotiation, CSRF check, request pipeline, plugins
 * hooks, response formatting) on node:http, with a one-field schema, no plugins of ours, no context, no
 * authentication, no database. Kingdom cannot be faster than this while it runs on Apollo Server: the gap between
 * this and the raw server is Apollo's, the gap between Kingdom and this is ours.
 *
 *   PORT=4003 node bench/support/apollo-alone-server.ts
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { createServer } from 'node:http';
import { listenUntilSignalled } from './listen.ts';

const port = Number(process.env.PORT ?? '0');
const apollo = new ApolloServer({
  typeDefs: 'type Query { ok: Boolean }',
  resolvers: { Query: { ok: () => true } },
  // The plugins Apollo installs by default and Kingdom turns off too: what remains is Apollo's own pipeline.
  plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  stopOnTerminationSignals: false,
});
await apollo.start();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    apollo
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: request.method ?? 'POST',
          headers,
          search: '',
          body: raw === '' ? undefined : JSON.parse(raw),
        },
        context: async () => ({}),
      })
      .then((result) => {
        for (const [name, value] of result.headers) response.setHeader(name, value);
        response.statusCode = result.status ?? 200;
        response.end(result.body.kind === 'complete' ? result.body.string : '');
      })
      .catch(() => {
        response.statusCode = 500;
        response.end();
      });
  });
});
listenUntilSignalled(server, port, () => apollo.stop());
