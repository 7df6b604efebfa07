/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and says where the time went:
 * - self time per function (the classic "bottom-up" view) and per package / file of ours;
 * - "on stack" time per package and per file of ours: the share of samples in which that code was anywhere on the
 *   stack (each sample counted once per key, so recursion and nesting never double count). That is the number to
 *   read for "what does the @auth transformer cost": everything it calls, included.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  readonly file: string;
  readonly sampledMs: number;
  /** Sampled time minus (idle): what the process spent working. */
  readonly busyMs: number;
  readonly topSelf: ReadonlyArray<{
    readonly frame: string;
    readonly area: string;
    readonly ms: number;
    readonly percentOfBusy: number;
  }>;
  readonly selfByArea: ReadonlyArray<{ readonly area: string; readonly ms: number; readonly percentOfBusy: number }>;
  readonly onStackByArea: ReadonlyArray<{ readonly area: string; readonly ms: number; readonly percentOfBusy: number }>;
};

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * Where a frame's code lives: our compiled sources by file (`kingdom:platform/graphql/directives`), a package by
 * name (`graphql`, `@apollo/server`), Node's own code (`node:http`), or a V8 pseudo-frame ((garbage collector)...).
 */
export const areaOf = (frame: CallFrame, repositoryRoot: string): string => {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const url = frame.url;
  if (url === '') return '(native/builtin)';
  if (url.startsWith('node:')) {
    const [, module] = /^node:(?:internal\/)?([^/]+)/.exec(url) ?? [];
    return `node:${module ?? url}`;
  }
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const packageMatch = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (packageMatch) return packageMatch[1]!;
  const relative = path.relative(repositoryRoot, file);
  if (!relative.startsWith('..')) {
    const withoutBuild = relative.replace(/^(dist|src)\//, '').replace(/\.(js|ts)$/, '');
    return `kingdom:${withoutBuild}`;
  }
  return file;
};

const share = (ms: number, total: number) => Number(((100 * ms) / total).toFixed(1));

export const summariseProfile = async (file: string, repositoryRoot: string, top = 30): Promise<ProfileSummary> => {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const selfUs = new Map<number, number>();
  let sampledUs = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    const delta = profile.timeDeltas[index] ?? 0;
    sampledUs += delta;
    const id = profile.samples[index]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }

  const areaCache = new Map<number, string>();
  const area = (id: number) => {
    let cached = areaCache.get(id);
    if (cached === undefined) {
      cached = areaOf(byId.get(id)!.callFrame, repositoryRoot);
      areaCache.set(id, cached);
    }
    return cached;
  };
  /** The distinct areas on the stack from the root down to `id`, memoised per node. */
  const stackAreas = new Map<number, ReadonlySet<string>>();
  const areasOnStack = (id: number): ReadonlySet<string> => {
    const known = stackAreas.get(id);
    if (known) return known;
    const parent = parentOf.get(id);
    const set = new Set(parent === undefined ? [] : areasOnStack(parent));
    set.add(area(id));
    stackAreas.set(id, set);
    return set;
  };

  const idleUs = [...selfUs]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)')
    .reduce((sum, [, us]) => sum + us, 0);
  const busyUs = sampledUs - idleUs;

  const selfByFrame = new Map<string, { area: string; us: number }>();
  const selfByArea = new Map<string, number>();
  const onStackByArea = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const frameArea = area(id);
    if (frameArea === '(idle)') continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
    const frame = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    const entry = selfByFrame.get(`${frameArea}|${frame}`) ?? { area: frameArea, us: 0 };
    entry.us += us;
    selfByFrame.set(`${frameArea}|${frame}`, entry);
    selfByArea.set(frameArea, (selfByArea.get(frameArea) ?? 0) + us);
    for (const onStack of areasOnStack(id)) onStackByArea.set(onStack, (onStackByArea.get(onStack) ?? 0) + us);
  }

  const ms = (us: number) => Number((us / 1000).toFixed(1));
  const sorted = <T extends { ms: number }>(rows: T[]) => rows.sort((a, b) => b.ms - a.ms);
  return {
    file,
    sampledMs: ms(sampledUs),
    busyMs: ms(busyUs),
    topSelf: sorted(
      [...selfByFrame].map(([key, { area: frameArea, us }]) => ({
        frame: key.slice(key.indexOf('|') + 1),
        area: frameArea,
        ms: ms(us),
        percentOfBusy: share(us, busyUs),
      })),
    ).slice(0, top),
    selfByArea: sorted(
      [...selfByArea].map(([name, us]) => ({ area: name, ms: ms(us), percentOfBusy: share(us, busyUs) })),
    ).slice(0, top),
    onStackByArea: sorted(
      [...onStackByArea]
        .filter(([name]) => name !== '(root)')
        .map(([name, us]) => ({ area: name, ms: ms(us), percentOfBusy: share(us, busyUs) })),
    ).slice(0, top * 2),
  };
};
