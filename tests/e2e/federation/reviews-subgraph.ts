/**
 * The second subgraph of the supergraph tests: another team's tiny `reviews` service, built from the SDL the how-to
 * shows (docs/how-to/supergraph/reviews.graphql), on Apollo Server in the test process. It knows products only by
 * SKU and users only by id: everything else about them is Kingdom's, resolved through the router.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';

export const SUPERGRAPH_DIR = join(import.meta.dirname, '..', '..', '..', 'docs', 'how-to', 'supergraph');
export const REVIEWS_SDL = readFileSync(join(SUPERGRAPH_DIR, 'reviews.graphql'), 'utf8');

export type Review = {
  readonly id: string;
  readonly body: string;
  readonly rating: number;
  readonly sku: string;
  /** A Kingdom User's global id. */
  readonly authorId: string;
};

export type ReviewsSubgraph = {
  readonly url: string;
  /** The headers of every request it received, in order. */
  readonly requests: readonly IncomingHttpHeaders[];
  stop(): Promise<void>;
};

export const startReviewsSubgraph = async (reviews: readonly Review[]): Promise<ReviewsSubgraph> => {
  const ofProduct = (sku: string) => reviews.filter((review) => review.sku === sku);
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(REVIEWS_SDL),
      resolvers: {
        Query: { reviews: () => reviews },
        Review: {
          product: (review: Review) => ({ __typename: 'Product', sku: review.sku }),
          author: (review: Review) => ({ __typename: 'User', id: review.authorId }),
        },
        Product: {
          __resolveReference: (reference: { sku: string }) => ({ sku: reference.sku }),
          reviews: (product: { sku: string }) => ofProduct(product.sku),
        },
      },
    },
  ]);
  const server = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const requests: IncomingHttpHeaders[] = [];
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      requests.push(req.headers);
      return {};
    },
  });
  return { url, requests, stop: () => server.stop() };
};
