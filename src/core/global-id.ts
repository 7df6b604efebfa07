/** Relay Global Object Identification (https://relay.dev/graphql/objectidentification.htm): ids of Node objects. */

/**
 * graphql-relay's `toGlobalId`, byte for byte (base64 of the UTF-8 of "Type:key"), through Node's native encoder:
 * graphql-relay's JavaScript encoder made a measurable share of the garbage of every page of products
 * (docs/decisions/0005-benchmark-driven-tweaks.md). The two encoders agree on every well-formed
 * string; keys come from Postgres, whose text is always well-formed (they differ only on lone surrogates).
 * `fromGlobalId` stays graphql-relay's: it is not on a hot path, and it is the one that must reject bad input.
 */
export const toGlobalId = (type: string, key: string): string =>
  Buffer.from(`${type}:${key}`, 'utf8').toString('base64');
