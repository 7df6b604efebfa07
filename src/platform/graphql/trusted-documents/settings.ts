import { join } from 'node:path';
import type { Logger } from '../../../core/ports.ts';
import type { Config } from '../../config.ts';
import type { TrustedDocuments } from './apollo-options.ts';
import { indexOperations, readManifest } from './manifest.ts';

export type TrustedDocumentsMode = 'off' | 'log' | 'enforce';

/** The manifest `npm run trusted-documents` writes, at the repository root (beside dist/ in the image too). */
export const DEFAULT_MANIFEST_PATH = join(import.meta.dirname, '..', '..', '..', '..', 'persisted-query-manifest.json');

type TrustSettings = Pick<Config, 'TRUSTED_DOCUMENTS' | 'TRUSTED_DOCUMENTS_MANIFEST' | 'isProduction'>;

/** TRUSTED_DOCUMENTS, or its default: `log` in production (until an operator opts in to enforce), `off` elsewhere. */
export const trustedDocumentsMode = (config: TrustSettings): TrustedDocumentsMode =>
  config.TRUSTED_DOCUMENTS ?? (config.isProduction ? 'log' : 'off');

/** Reads the manifest when the mode needs one; a missing or malformed manifest stops start-up, naming the file. */
export const loadTrustedDocuments = (config: TrustSettings, logger: Logger): TrustedDocuments => {
  const mode = trustedDocumentsMode(config);
  if (mode === 'off') return { mode };
  const source = config.TRUSTED_DOCUMENTS_MANIFEST ?? DEFAULT_MANIFEST_PATH;
  const operations = indexOperations(readManifest(source));
  logger.info({ mode, manifest: source, operations: operations.byId.size }, 'trusted documents');
  return { mode, operations, source };
};
