import { permissionsFrom, type Policy } from '../../../../src/core/access.ts';
import type { SubscriptionFeeds } from '../../../../src/platform/graphql/context.ts';
import { createCallerKey, permissionsFingerprint } from '../../../../src/platform/subscriptions/caller-key.ts';
import { createSharedDeliveries } from '../../../../src/platform/subscriptions/deliveries.ts';

const READ_ALL: Policy[] = [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] }];
const READ_OAK: Policy[] = [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['OAK', 'ELM'] }];
const READ_OWN: Policy[] = [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['OWNER'] }];
const RESOURCES = ['PRODUCT', 'BATCH'];

describe('permissions compared for sharing a delivery', () => {
  test('equal grants give equal fingerprints, whatever the order of their keys; other grants differ', () => {
    const fingerprint = (user: string, policies: Policy[]) =>
      permissionsFingerprint(permissionsFrom(user, [], policies), RESOURCES);
    expect(fingerprint('ada', READ_ALL)).toBe(fingerprint('bob', READ_ALL));
    expect(fingerprint('ada', READ_OAK)).toBe(
      fingerprint('bob', [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['ELM', 'OAK'] }]),
    );
    expect(fingerprint('ada', READ_ALL)).not.toBe(fingerprint('bob', READ_OAK));
    expect(fingerprint('ada', READ_ALL)).not.toBe(
      fingerprint('bob', [...READ_ALL, { resource: 'BATCH', actions: ['READ'], selectors: ['b-1'] }]),
    );
  });

  test('a grant through OWNER has none: what it shows depends on who the caller is', () => {
    expect(permissionsFingerprint(permissionsFrom('ada', [], READ_OWN), RESOURCES)).toBeNull();
  });
});

describe('the caller key of a delivery', () => {
  const feeds: SubscriptionFeeds = {
    shared: { events: {}, read: async () => null, answerDependsOnlyOnPermissions: true },
    personal: { events: {}, read: async () => null },
  };
  const POLICIES: Record<string, Policy[]> = { ada: READ_ALL, bob: READ_ALL, cy: READ_OAK, dee: READ_OWN };
  const loads: string[] = [];
  const key = createCallerKey({
    feeds,
    resources: RESOURCES,
    permissionsFor: () => async (userId) => (loads.push(userId), permissionsFrom(userId, [], POLICIES[userId]!)),
  });
  const as = (userId: string | null) => ({
    id: `connection of ${userId}`,
    viewer: userId ? { userId, sessionId: 's' } : null,
    clientAddress: '10.0.0.1',
  });
  const change = { sku: 'OAK' };

  test('for a feed whose answer depends only on permissions: equal permissions, one key', async () => {
    expect(await key(as('ada'), 'shared', change)).toBe(await key(as('bob'), 'shared', change));
    expect(await key(as('ada'), 'shared', change)).not.toBe(await key(as('cy'), 'shared', change));
    expect(await key(as('dee'), 'shared', change)).toBe('user dee');
  });

  test('for any other feed: one key per user, and no permissions loaded to decide', async () => {
    loads.length = 0;
    expect(await key(as('ada'), 'personal', change)).toBe('user ada');
    expect(await key(as('bob'), 'personal', change)).toBe('user bob');
    expect(loads).toEqual([]);
  });

  test('anonymous callers share one key (they may read only @public fields)', async () => {
    expect(await key(as(null), 'personal', change)).toBe('anonymous');
  });
});

describe('deliveries shared for one change', () => {
  test('run once per change and key; another change, or another key, runs again', async () => {
    const shared = createSharedDeliveries();
    let runs = 0;
    const run = async () => ({ data: { n: ++runs } });
    const first = { sku: 'OAK' };
    const second = { sku: 'OAK' };

    const answers = await Promise.all([
      shared.run(first, 'k', run),
      shared.run(first, 'k', run),
      shared.run(first, 'other', run),
      shared.run(second, 'k', run),
    ]);

    expect(answers.map((answer) => answer.data?.n)).toEqual([1, 1, 2, 3]);
  });
});
