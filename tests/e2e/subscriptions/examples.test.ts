/**
 * examples/subscriptions/ as a newcomer runs it: subscribe.ts (a plain graphql-ws client) started from a terminal
 * with an access token, following each example document, prints the change an allocation commits, and stops on
 * Ctrl-C. Each document is one named subscription whose variables file names exactly its variables.
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { repositoryRoot } from '../../../src/platform/repository-root.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { addBatch, adminHeaders, allocate, data, followed } from './support.ts';

jest.setTimeout(60_000);

const DIRECTORY = join(repositoryRoot, 'examples', 'subscriptions');
const documents = readdirSync(DIRECTORY).filter((file) => file.endsWith('.graphql'));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  data(await addBatch(server, 'batch-100', 'OAK-TABLE', 12));
});
afterAll(async () => server?.close());

test.each(documents)('%s is one named subscription, explained, with exactly its variables', (file) => {
  const text = readFileSync(join(DIRECTORY, file), 'utf8');
  const operations = parse(text).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  expect(operations).toHaveLength(1);
  const operation = operations[0] as OperationDefinitionNode;
  expect(operation.operation).toBe('subscription');
  expect(text).toMatch(/^# .+\n#\n(# .*\n)+/);
  const variablesFile = file.replace(/\.graphql$/, '.variables.json');
  expect(text).toContain(variablesFile);
  const declared = (operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value);
  const given = JSON.parse(readFileSync(join(DIRECTORY, variablesFile), 'utf8')) as Record<string, unknown>;
  expect(Object.keys(given).sort()).toEqual(declared.sort());
});

test.each([
  ['product-changed.graphql', { productChanged: expect.objectContaining({ sku: 'OAK-TABLE', version: 2 }) }],
  ['order-allocations.graphql', { orderAllocations: expect.objectContaining({ orderId: 'order-100' }) }],
])('node examples/subscriptions/subscribe.ts %s prints what commits, until Ctrl-C', async (file, expected) => {
  const { authorization } = await adminHeaders(server);
  const following = server.followers();
  const child = spawn(process.execPath, ['examples/subscriptions/subscribe.ts', `examples/subscriptions/${file}`], {
    cwd: repositoryRoot,
    env: { ...process.env, KINGDOM_URL: server.url, KINGDOM_TOKEN: authorization.slice('Bearer '.length) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  try {
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    await followed(server, following + 1, 15_000);
    data(await allocate(server, 'order-100', 'OAK-TABLE', 3));

    const line = await lines.next();
    expect(JSON.parse(String(line.value))).toEqual({ data: expected });
  } finally {
    child.kill('SIGINT');
  }
  expect((await exited)[0]).toBe(0);
  // The next example allocates again: release the line.
  data(
    await server.admin('mutation { deallocate(input: { orderId: "order-100", sku: "OAK-TABLE" }) { batchReference } }'),
  );
});
