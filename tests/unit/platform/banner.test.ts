import { Writable } from 'node:stream';
import { announceStart, startupBanner, type StartupFacts } from '../../../src/platform/banner.ts';
import { createLogger } from '../../../src/platform/logger.ts';

const facts: StartupFacts = {
  url: 'http://127.0.0.1:4000/graphql',
  sandbox: true,
  database: 'embedded Postgres on port 54329, data in .data/postgres',
  accounts: [
    { email: 'admin@kingdom.local', password: 'kingdom-admin', role: 'admin' },
    { email: 'clara.clerk@kingdom.local', password: 'kingdom-clerk', role: 'clerk' },
  ],
  startupMs: 1234,
};

const recorded = () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
};

describe('the start-up banner', () => {
  test('names Sandbox, every account with its password, where the data lives and how to stop', () => {
    expect(startupBanner(facts).split('\n')).toEqual([
      "    Sandbox   open that address in a browser: Apollo Sandbox (it loads from Apollo's CDN)",
      '    Sign in   admin@kingdom.local / kingdom-admin  (admin)',
      '              clara.clerk@kingdom.local / kingdom-clerk  (clerk)',
      '    Data      embedded Postgres on port 54329, data in .data/postgres',
      '    Stop      Ctrl-C (the data stays for the next start)',
    ]);
  });

  test('prints no password it does not own, and no Sandbox or accounts outside development', () => {
    const configured = startupBanner({
      ...facts,
      accounts: [{ email: 'ops@example.com', password: null, role: 'admin' }],
    });
    expect(configured).toContain('ops@example.com / (your KINGDOM_ADMIN_PASSWORD)  (admin)');
    const production = startupBanner({ ...facts, sandbox: false, accounts: [] });
    expect(production).not.toMatch(/Sandbox|Sign in/);
  });

  test('is readable lines for a person, and one structured line for a machine', () => {
    const pretty = recorded();
    announceStart(createLogger({ LOG_LEVEL: 'info', logFormat: 'pretty' }, pretty.stream), 'pretty', facts);
    expect(pretty.text()).toMatch(
      /^\[[\d:]+\] INFO: Kingdom is serving GraphQL at http:\/\/127\.0\.0\.1:4000\/graphql \(started in 1234 ms\)\n {4}Sandbox/,
    );
    expect(pretty.text()).toContain('    Stop      Ctrl-C');

    const json = recorded();
    announceStart(createLogger({ LOG_LEVEL: 'info', logFormat: 'json' }, json.stream), 'json', facts);
    expect(JSON.parse(json.text())).toMatchObject({
      level: 30,
      msg: 'Kingdom is serving GraphQL at http://127.0.0.1:4000/graphql',
      url: facts.url,
      database: facts.database,
      accounts: facts.accounts,
    });
  });
});
