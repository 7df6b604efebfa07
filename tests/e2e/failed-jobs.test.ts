/**
 * Query.failedJobs on real Postgres: a Relay connection like every other list, over graphile-worker's own tables,
 * most recently failed first, paged by keyset (failed_at, job id) in either direction.
 */
import { jest } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { expectRelayConformance, type PageArgs, type RelayPage } from '../support/relay-conformance.ts';
import { graphql } from '../generated/index.ts';
import { startTestServer, type TestServer } from './support/server.ts';

jest.setTimeout(60_000);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const PAGE = graphql(`
  query FailedJobsPage($first: Int, $after: String, $last: Int, $before: String) {
    failedJobs(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges {
        cursor
        node {
          jobId
          task
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

/** Fails `count` new jobs for good at once (an operator giving up on them); returns their ids, oldest first. */
const failJobs = async (count: number): Promise<string[]> =>
  server.pool.anyFirst(sql.type(z.object({ id: z.string() }))`
    SELECT jobs.id::text AS id FROM graphile_worker.permanently_fail_jobs(
      ARRAY(SELECT (graphile_worker.add_job('notifyOutOfStock', json_build_object('n', n), max_attempts => 3)).id
            FROM generate_series(1, ${count}) AS n),
      'SMTP server unreachable') AS jobs
    ORDER BY jobs.id`) as Promise<string[]>;

/** The walker keys nodes by `sku`: here the job id. */
const pager = async (args: PageArgs): Promise<RelayPage> => {
  const response = await server.admin(PAGE, args);
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  const page = response.body.data?.failedJobs;
  if (!page) throw new Error(`no failedJobs page: ${JSON.stringify(response.body)}`);
  return { ...page, edges: page.edges.map(({ cursor, node }) => ({ cursor, node: { sku: node.jobId } })) };
};

test('pages through every failed job, most recently failed first, by any page size and in either direction', async () => {
  const earlier = await failJobs(6);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const later = await failJobs(7);
  // Same failure time within a batch: the newer job (higher id) first.
  const expected = [...later.reverse(), ...earlier.reverse()];

  await expectRelayConformance(pager, expected, [1, 4, 13]);
});

test('a cursor of another list, or one edited by hand, is bad input rather than some other page', async () => {
  await failJobs(2);
  const products = await server.admin(
    graphql(`
      query FailedJobsProductCursor {
        products(first: 1) {
          pageInfo {
            endCursor
          }
        }
      }
    `),
  );
  const productCursor = products.body.data?.products.pageInfo.endCursor;
  const forged = Buffer.from(JSON.stringify({ c: 'failedJobs', k: ['not a time', '1'] })).toString('base64url');
  for (const after of [productCursor ?? Buffer.from('{"c":"products","k":["A","A"]}').toString('base64url'), forged]) {
    const response = await server.admin(PAGE, { first: 1, after });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }
});
