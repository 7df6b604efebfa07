import type { Logger } from '../../../core/ports.ts';
import type { Config } from '../../config.ts';
import { ephemeralCursorKeys, type CursorKeys } from './signing.ts';

/**
 * The cursor keys from configuration: CURSOR_SECRET under CURSOR_KEY_ID, plus CURSOR_PREVIOUS_KEYS still accepted.
 * Config validation has refused a weak key anywhere and a missing one in production; elsewhere a missing one is a
 * key of this process only (every instance of a deployment must share the configured one).
 */
export const cursorKeysFrom = (config: Config, logger: Logger): CursorKeys => {
  if (!config.CURSOR_SECRET) {
    logger.debug({}, 'no CURSOR_SECRET is configured: cursors are signed with a key of this process only');
    return ephemeralCursorKeys();
  }
  const previous = Object.entries(config.CURSOR_PREVIOUS_KEYS ?? {});
  return {
    currentKeyId: config.CURSOR_KEY_ID,
    keys: new Map([...previous, [config.CURSOR_KEY_ID, config.CURSOR_SECRET]]),
  };
};
