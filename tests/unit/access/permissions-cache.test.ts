import { createPermissionsCache, forgetOnCommit } from '../../../src/access/adapters/permissions-cache.ts';
import { permissionsFrom, type Permissions } from '../../../src/core/access.ts';
import { fakeChannels } from '../../fakes/fake-channels.ts';

/** What the database says each user holds, and how many times it was asked. */
const fakeStore = (held: Record<string, string[]>) => {
  const loads: string[] = [];
  const load = async (userId: string): Promise<Permissions> => {
    loads.push(userId);
    const roles = held[userId] ?? [];
    return permissionsFrom(
      userId,
      roles,
      roles.map((role) => ({ resource: 'PRODUCT', actions: ['READ'], selectors: [role] })),
    );
  };
  return { load, loads };
};

const ADA = 'ada';
const BOB = 'bob';

describe('the per-process cache of permissions', () => {
  it('loads a user once and answers from memory afterwards, one load for callers asking at the same time', async () => {
    const channels = fakeChannels();
    const store = fakeStore({ [ADA]: ['clerk'] });
    const cache = createPermissionsCache(store.load, channels.listener);

    const [first, second] = await Promise.all([cache.permissionsOf(ADA), cache.permissionsOf(ADA)]);
    const third = await cache.permissionsOf(ADA);

    expect(store.loads).toEqual([ADA]);
    expect(third).toBe(first);
    expect(second).toBe(first);
    expect([...first.roles]).toEqual(['clerk']);
  });

  it('drops exactly the user a user:<id> notification names, so the next request reads the change', async () => {
    const channels = fakeChannels();
    const held = { [ADA]: ['clerk'], [BOB]: ['clerk'] };
    const store = fakeStore(held);
    const cache = createPermissionsCache(store.load, channels.listener);
    await cache.permissionsOf(ADA);
    await cache.permissionsOf(BOB);

    held[ADA] = [];
    channels.announce('kingdom_access', `user:${ADA}`);

    expect([...(await cache.permissionsOf(ADA)).roles]).toEqual([]);
    await cache.permissionsOf(BOB);
    expect(store.loads).toEqual([ADA, BOB, ADA]);
  });

  it('drops the holders of a role whose policies changed, and any load still in flight, but no one else', async () => {
    const channels = fakeChannels();
    const store = fakeStore({ [ADA]: ['clerk'], [BOB]: ['auditor'], carol: ['clerk'] });
    const cache = createPermissionsCache(store.load, channels.listener);
    await cache.permissionsOf(ADA);
    await cache.permissionsOf(BOB);
    const inFlight = cache.permissionsOf('carol');

    channels.announce('kingdom_access', 'role:clerk');
    await inFlight;
    await Promise.all([ADA, BOB, 'carol'].map((user) => cache.permissionsOf(user)));

    expect(store.loads).toEqual([ADA, BOB, 'carol', ADA, 'carol']);
  });

  it('drops everything on "*" and on any payload it does not understand', async () => {
    const channels = fakeChannels();
    const store = fakeStore({});
    const cache = createPermissionsCache(store.load, channels.listener);
    for (const payload of ['*', 'something-newer:42']) {
      await cache.permissionsOf(ADA);
      expect(cache.size()).toBe(1);
      channels.announce('kingdom_access', payload);
      expect(cache.size()).toBe(0);
    }
  });

  it('trusts nothing while the LISTEN connection is down: emptied when it drops, every call loads until it is back', async () => {
    const channels = fakeChannels();
    const store = fakeStore({ [ADA]: ['clerk'] });
    const cache = createPermissionsCache(store.load, channels.listener);
    await cache.permissionsOf(ADA);

    channels.drop();
    expect(cache.size()).toBe(0);
    await cache.permissionsOf(ADA);
    await cache.permissionsOf(ADA);
    expect(cache.size()).toBe(0);

    channels.restore();
    await cache.permissionsOf(ADA);
    await cache.permissionsOf(ADA);
    expect(store.loads).toEqual([ADA, ADA, ADA, ADA]);
  });

  it('does not remember a load that failed: the next call tries again', async () => {
    const channels = fakeChannels();
    let fail = true;
    const store = fakeStore({ [ADA]: ['clerk'] });
    const cache = createPermissionsCache(async (userId) => {
      if (fail) throw new Error('database unavailable');
      return store.load(userId);
    }, channels.listener);

    await expect(cache.permissionsOf(ADA)).rejects.toThrow('database unavailable');
    fail = false;

    expect([...(await cache.permissionsOf(ADA)).roles]).toEqual(['clerk']);
    expect(cache.size()).toBe(1);
  });

  it('holds at most its bound of users, dropping the oldest first', async () => {
    const channels = fakeChannels();
    const store = fakeStore({});
    const cache = createPermissionsCache(store.load, channels.listener, 2);
    for (const user of [ADA, BOB, 'carol']) await cache.permissionsOf(user);

    expect(cache.size()).toBe(2);
    await cache.permissionsOf(BOB);
    await cache.permissionsOf(ADA);
    expect(store.loads).toEqual([ADA, BOB, 'carol', ADA]);
  });

  it("drops this process's own changes as soon as their events are published, then waits for every instance", async () => {
    const channels = fakeChannels();
    const store = fakeStore({ [ADA]: ['clerk'], [BOB]: ['auditor'] });
    const cache = createPermissionsCache(store.load, channels.listener);
    const waits: number[] = [];
    const routes = forgetOnCommit(cache, async () => void waits.push(cache.size()));
    const publish = async (event: { readonly type: string; readonly [field: string]: unknown }) => {
      for (const handler of routes[event.type] ?? []) await (handler as (event: unknown) => Promise<unknown>)(event);
    };

    await cache.permissionsOf(ADA);
    await cache.permissionsOf(BOB);
    await publish({ type: 'RoleRevoked', userId: ADA, role: 'clerk' });
    expect(cache.size()).toBe(1);
    await publish({ type: 'RoleGranted', userId: BOB, role: 'clerk' });
    expect(cache.size()).toBe(0);

    await cache.permissionsOf(ADA);
    await cache.permissionsOf(BOB);
    await publish({ type: 'RolePoliciesUpdated', name: 'auditor', policies: [] });
    expect(cache.size()).toBe(1);
    await publish({ type: 'RoleDeleted', name: 'clerk' });
    expect(cache.size()).toBe(0);
    // Each change waited for every instance, after dropping its own entries.
    expect(waits).toEqual([1, 0, 1, 0]);
  });
});
