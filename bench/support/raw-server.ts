/**
 * The ceiling for `{ __typename }`: a bare node:http server that reads the request body and answers a fixed JSON
 * body (RAW_BODY: the very bytes the Kingdom server answers, captured by the orchestrator) with the same headers a
 * JSON API sends. No parsing, no GraphQL: what Node's HTTP stack alone costs on this machine.
 *
 *   PORT=4001 RAW_BODY='{"data":{"__typename":"Query"}}' node bench/support/raw-server.ts
 */
import { createServer } from 'node:http';
import { listenUntilSignalled } from './listen.ts';

const port = Number(process.env.PORT ?? '0');
const body = Buffer.from(process.env.RAW_BODY ?? '{"data":{"__typename":"Query"}}\n', 'utf8');
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) };

const server = createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
listenUntilSignalled(server, port);
