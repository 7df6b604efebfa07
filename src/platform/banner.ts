/**
 * What `npm start` says once it serves: where, how to explore it, who to sign in as, where the data lives and how to
 * stop. For a person (LOG_FORMAT=pretty) a few aligned lines; for a machine (JSON) one structured line. Both start
 * with "Kingdom is serving GraphQL at <url>", the line scripts and tests wait for.
 */
import type { AppLogger } from './logger.ts';

export type BannerAccount = {
  readonly email: string;
  /** Null when it is not ours to print (a configured administrator). */
  readonly password: string | null;
  readonly role: string;
};

export type StartupFacts = {
  readonly url: string;
  /** Apollo Sandbox is served (development). */
  readonly sandbox: boolean;
  /** Where the data lives, e.g. "embedded Postgres on port 54329, data in .data/postgres". */
  readonly database: string;
  /** Accounts to sign in with (development); empty elsewhere. */
  readonly accounts: readonly BannerAccount[];
  readonly startupMs: number;
};

export const servingMessage = (url: string): string => `Kingdom is serving GraphQL at ${url}`;

const row = (label: string, text: string): string => `    ${label.padEnd(8)}  ${text}`;

/** The lines under the serving message, for a person. */
export const startupBanner = (facts: StartupFacts): string => {
  const [first, ...others] = facts.accounts.map(
    ({ email, password, role }) => `${email} / ${password ?? '(your KINGDOM_ADMIN_PASSWORD)'}  (${role})`,
  );
  return [
    ...(facts.sandbox
      ? [row('Sandbox', "open that address in a browser: Apollo Sandbox (it loads from Apollo's CDN)")]
      : []),
    ...(first ? [row('Sign in', first), ...others.map((account) => row('', account))] : []),
    row('Data', facts.database),
    row('Stop', 'Ctrl-C (the data stays for the next start)'),
  ].join('\n');
};

export const announceStart = (logger: AppLogger, format: 'json' | 'pretty', facts: StartupFacts): void => {
  if (format === 'pretty') {
    logger.info(`${servingMessage(facts.url)} (started in ${facts.startupMs} ms)\n${startupBanner(facts)}`);
    return;
  }
  const { url, startupMs, sandbox, database, accounts } = facts;
  logger.info({ url, startupMs, sandbox, database, accounts }, servingMessage(url));
};
