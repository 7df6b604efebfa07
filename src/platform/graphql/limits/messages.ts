/**
 * What a client is told. Deliberately without the configured numbers: they would tell a prober exactly how far
 * to go. The code (GRAPHQL_VALIDATION_FAILED, HTTP 400) is Apollo's for any failed validation rule.
 */
export const LIMIT_MESSAGES = {
  depth: 'The operation is nested too deeply; split it into smaller operations',
  aliases: 'The operation uses too many aliases; split it into smaller operations',
  directives: 'The operation uses too many directives',
  tokens: 'The document is too large; split it into smaller operations',
  cost: 'The operation would cost too much to run; ask for smaller pages or fewer nested lists',
} as const;
