import { existsSync } from 'node:fs';
import { loadConfig } from '../../../../src/platform/config.ts';
import {
  DEFAULT_MANIFEST_PATH,
  loadTrustedDocuments,
  trustedDocumentsMode,
} from '../../../../src/platform/graphql/trusted-documents/settings.ts';
import { createRecordingLogger } from '../../../support/graphql.ts';

const SECRET = 'a-secret-that-is-at-least-thirty-two-bytes-long';
const configFor = (environment: Record<string, string>) =>
  loadConfig({
    JWT_SECRET: SECRET,
    CURSOR_SECRET: SECRET,
    ...(environment.NODE_ENV === 'production'
      ? { DATABASE_URL: 'postgres://localhost/kingdom', PUBLIC_URL: 'https://kingdom.example.com' }
      : {}),
    ...environment,
  });

describe('TRUSTED_DOCUMENTS', () => {
  it.each([
    [{ NODE_ENV: 'production' }, 'log'],
    [{ NODE_ENV: 'development' }, 'off'],
    [{ NODE_ENV: 'test' }, 'off'],
    [{ NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'enforce' }, 'enforce'],
    [{ NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'off' }, 'off'],
    [{ NODE_ENV: 'development', TRUSTED_DOCUMENTS: 'log' }, 'log'],
  ])('%j runs in mode %s', (environment, mode) => {
    expect(trustedDocumentsMode(configFor(environment))).toBe(mode);
  });

  it('refuses a mode it does not know, naming the variable', () => {
    expect(() => configFor({ TRUSTED_DOCUMENTS: 'strict' })).toThrow(/TRUSTED_DOCUMENTS/);
  });

  it('off reads no manifest at all', () => {
    const trusted = loadTrustedDocuments(
      configFor({ TRUSTED_DOCUMENTS: 'off', TRUSTED_DOCUMENTS_MANIFEST: '/nowhere/manifest.json' }),
      createRecordingLogger(),
    );

    expect(trusted).toEqual({ mode: 'off' });
  });

  it('log and enforce stop start-up when the manifest is missing, naming the file', () => {
    const load = () =>
      loadTrustedDocuments(
        configFor({ TRUSTED_DOCUMENTS: 'enforce', TRUSTED_DOCUMENTS_MANIFEST: '/nowhere/manifest.json' }),
        createRecordingLogger(),
      );

    expect(load).toThrow(/^\/nowhere\/manifest\.json:\n.*does not exist/);
  });

  it('reads the repository’s manifest by default, and logs the mode, the file and how many operations it holds', () => {
    const logger = createRecordingLogger();

    const trusted = loadTrustedDocuments(configFor({ NODE_ENV: 'production' }), logger);

    expect(existsSync(DEFAULT_MANIFEST_PATH)).toBe(true);
    expect(trusted.mode === 'log' && trusted.operations.byId.size).toBeGreaterThan(0);
    expect(logger.entries).toEqual([
      {
        level: 'info',
        object: { mode: 'log', manifest: DEFAULT_MANIFEST_PATH, operations: expect.any(Number) },
        message: 'trusted documents',
      },
    ]);
  });
});
