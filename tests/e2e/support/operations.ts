import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real .graphql documents, as a client would send them (tests/e2e/operations/*.graphql). */
export const operation = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'operations', `${name}.graphql`), 'utf8');
