/**
 * A stand-in for an OpenTelemetry Collector, for measuring what tracing costs the server: it accepts OTLP/HTTP
 * exports (POST /v1/traces and the like, any encoding) and discards them with the empty success answer, counting
 * what it received (GET /stats) so the run can show that spans did flow. GET /healthz answers when it listens.
 *
 *   PORT=4318 node bench/support/otlp-sink.ts
 */
import { createServer } from 'node:http';
import { listenUntilSignalled } from './listen.ts';

const port = Number(process.env.PORT ?? '0');
let requests = 0;
let bytes = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    const body = request.url === '/stats' ? JSON.stringify({ requests, bytes }) : '{"status":"ok"}';
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
    return;
  }
  request.on('data', (chunk: Buffer) => (bytes += chunk.length));
  request.on('end', () => {
    requests += 1;
    // An empty Export*ServiceResponse: accepted in full, in protobuf and in JSON alike.
    const json = (request.headers['content-type'] ?? '').includes('json');
    response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
    response.end(json ? '{}' : '');
  });
});
listenUntilSignalled(server, port);
