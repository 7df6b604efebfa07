/**
 * The peer for the nested-connection comparison: PostGraphile 5 with its recommended preset (amber), the `pg`
 * adaptor and grafserv on a plain node:http server, over the same tables as the Kingdom server. Nothing is tuned
 * beyond what a production deployment would set: no GraphiQL, no schema watching, the same pool size as Kingdom's
 * default (DATABASE_POOL_SIZE, 10).
 *
 *   PORT=4002 DATABASE_URL=postgres://... POOL_SIZE=10 NODE_ENV=production node bench/support/postgraphile-server.ts
 */
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const port = Number(process.env.PORT ?? '0');
const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL is required');

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.POOL_SIZE ?? '10') },
    }),
  ],
  grafserv: { port, host: '127.0.0.1', graphqlPath: '/graphql', graphiql: false, watch: false, websockets: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
// Built before listening, so the first request measured does not pay for introspection.
await pgl.getSchema();
const serv = pgl.createServ(grafserv);
const server = createServer();
await serv.addTo(server);
server.keepAliveTimeout = 5000;
server.listen(port, '127.0.0.1');

const stop = () => {
  server.close(() => {
    void Promise.resolve(pgl.release()).finally(() => process.exit(0));
  });
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
