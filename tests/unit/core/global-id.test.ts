import { fromGlobalId, toGlobalId as relayToGlobalId } from 'graphql-relay';
import { toGlobalId } from '../../../src/core/global-id.ts';

describe('toGlobalId', () => {
  test.each([
    ['Product', 'SKU-000001'],
    ['Batch', 'batch-001'],
    ['User', '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'],
    ['Product', ''],
    ['Product', 'a'],
    ['Product', 'ab'],
    ['Product', 'BLUE-ARMCHAIR:with:colons'],
    ['Product', 'chaise-longue-é'],
    ['Product', '机器-床'],
    ['Product', 'rocket-🚀-lamp'],
    ['Product', 'tab\tnewline\nend'],
  ])('%s %j: the very id graphql-relay makes, and graphql-relay reads it back', (type, key) => {
    const id = toGlobalId(type, key);
    expect(id).toBe(relayToGlobalId(type, key));
    expect(fromGlobalId(id)).toEqual({ type, id: key });
  });
});
