/**
 * What a GraphQL server can reach on node:http without Apollo's request pipeline: graphql-js alone, each document
 * parsed and validated once (kept by its text, as every production server does), then `execute` and
 * `JSON.stringify` per request. A one-field schema, no context, no authentication, no database, no error handling
 * beyond a 400: a measuring stick for the cost of the HTTP framework around graphql-js, not a server to use.
 *
 *   PORT=4004 node bench/support/graphql-js-alone-server.ts
 */
import { buildSchema, execute, parse, validate, type DocumentNode } from 'graphql';
import { createServer } from 'node:http';
import { listenUntilSignalled } from './listen.ts';

const port = Number(process.env.PORT ?? '0');
const schema = buildSchema('type Query { ok: Boolean }');
const documents = new Map<string, DocumentNode>();

const documentOf = (query: string): DocumentNode | null => {
  const known = documents.get(query);
  if (known) return known;
  const document = parse(query);
  if (validate(schema, document).length > 0) return null;
  documents.set(query, document);
  return document;
};

const send = (response: import('node:http').ServerResponse, status: number, body: unknown) => {
  const payload = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
};

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const document = documentOf(query);
      if (!document) return send(response, 400, { errors: [{ message: 'invalid document' }] });
      Promise.resolve(execute({ schema, document, variableValues: variables, operationName, contextValue: {} })).then(
        (result) => send(response, 200, result),
        () => send(response, 500, { errors: [{ message: 'internal error' }] }),
      );
    } catch {
      send(response, 400, { errors: [{ message: 'bad request' }] });
    }
  });
});
listenUntilSignalled(server, port);
