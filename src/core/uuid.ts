const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids stored in uuid columns (users, messages): anything else can match no row, and Postgres would reject it with a
 * syntax error rather than find nothing, so callers check first.
 */
export const isUuid = (value: string): boolean => UUID.test(value);
