import { loadConfig, type Config } from '../../src/platform/config.ts';

/** A test process's configuration: every default, plus what a test sets (as environment variables would). */
export const testConfig = (environment: Record<string, string> = {}): Config =>
  loadConfig({ NODE_ENV: 'test', ...environment }, { signsTokens: false });
