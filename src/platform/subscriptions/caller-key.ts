/**
 * When two deliveries of one change, for one operation with the same variables, must be the same answer
 * (deliveries.ts runs them once): for the same user, always; for users with equal permissions, when the feed says
 * its answer depends on nothing else (`answerDependsOnlyOnPermissions`) and no grant of theirs is an OWNER
 * selector (which makes the answer depend on who owns what).
 */
import { ACTIONS, type Permissions, type Resource } from '../../core/access.ts';
import type { SubscriptionFeeds } from '../graphql/context.ts';
import type { Connection } from './transport.ts';

/** Everything the permissions grant, as a string; null when a grant depends on who the caller is (OWNER). */
export const permissionsFingerprint = (permissions: Permissions, resources: readonly Resource[]): string | null => {
  const parts: string[] = [];
  for (const resource of resources) {
    for (const action of ACTIONS) {
      const grant = permissions.grant(resource, action);
      if (grant.owned) return null;
      parts.push(grant.every ? '*' : [...grant.keys].sort().join(','));
    }
  }
  return JSON.stringify(parts);
};

export const createCallerKey = (options: {
  readonly feeds: SubscriptionFeeds;
  readonly resources: readonly Resource[];
  /** The caller's permissions for this change (loaded once per user and change: one object for all its deliveries). */
  readonly permissionsFor: (change: object) => (userId: string) => Promise<Permissions>;
}) => {
  const fingerprints = new WeakMap<Permissions, string | null>();
  const fingerprintOf = (permissions: Permissions): string | null => {
    if (!fingerprints.has(permissions))
      fingerprints.set(permissions, permissionsFingerprint(permissions, options.resources));
    return fingerprints.get(permissions) ?? null;
  };
  return async (connection: Connection, field: string, change: object): Promise<string> => {
    const userId = connection.viewer?.userId;
    // Anonymous callers may read only @public fields: one answer for all of them.
    if (userId === undefined) return 'anonymous';
    if (!options.feeds[field]?.answerDependsOnlyOnPermissions) return `user ${userId}`;
    const fingerprint = fingerprintOf(await options.permissionsFor(change)(userId));
    return fingerprint === null ? `user ${userId}` : `permissions ${fingerprint}`;
  };
};
