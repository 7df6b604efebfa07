/**
 * The deployment files, checked without Docker: the Dockerfile (multi-stage, production dependencies only, a
 * non-root user, what the server reads at run time, a health check that works), .dockerignore, docker-compose.yml
 * and .env.example. The list of variables comes from the configuration schema itself, so a new setting in
 * src/platform/config.ts fails here until .env.example and docker-compose.yml name it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CONFIG_VARIABLES, configVariableSchemas } from '../../src/platform/config.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const sorted = (names: Iterable<string>): string[] => [...names].sort();
const configVariables: readonly string[] = CONFIG_VARIABLES;

/** What the server uses when a variable is unset (undefined for one without a default). */
const defaultOf = (name: string): unknown =>
  (configVariableSchemas as Record<string, { parse(value: unknown): unknown }>)[name]!.parse(undefined);
/** What the server makes of a value; like loadConfig, an empty string counts as unset. */
const effectiveValue = (name: string, value: string): unknown =>
  value === ''
    ? defaultOf(name)
    : (configVariableSchemas as Record<string, { parse(value: unknown): unknown }>)[name]!.parse(value);

// ---------------------------------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------------------------------

type Instruction = { readonly keyword: string; readonly args: string };
type Stage = { readonly image: string; readonly name: string | undefined; readonly instructions: Instruction[] };

/** Instructions with their line continuations joined and comments dropped, grouped by stage (FROM). */
const parseDockerfile = (text: string): Stage[] => {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    const keyword = full.split(/\s+/, 1)[0]!;
    instructions.push({ keyword: keyword.toUpperCase(), args: full.slice(keyword.length).trim() });
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/);
      stages.push({ image: image!, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${instruction.keyword} before the first FROM`);
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
};

type Copy = { readonly from: string | undefined; readonly sources: string[]; readonly destination: string };
const copiesOf = (stage: Stage): Copy[] =>
  stage.instructions
    .filter((instruction) => instruction.keyword === 'COPY')
    .map((instruction) => {
      const words = instruction.args.split(/\s+/);
      const flags = words.filter((word) => word.startsWith('--'));
      const paths = words.filter((word) => !word.startsWith('--'));
      const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
      return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
    });
const runsOf = (stage: Stage): string[] =>
  stage.instructions.filter((instruction) => instruction.keyword === 'RUN').map((run) => run.args);
/** ENV KEY=value pairs (the legacy `ENV KEY value` form too). */
const envOf = (stage: Stage): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((instruction) => instruction.keyword === 'ENV')) {
    if (!args.includes('=')) {
      const [key, ...value] = args.split(/\s+/);
      env[key!] = value.join(' ');
      continue;
    }
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g))
      env[match[1]!] = match[2]!.replace(/^"|"$/g, '');
  }
  return env;
};
const normalize = (path: string): string => path.replace(/^\.\//, '').replace(/\/$/, '');

/** .dockerignore patterns, in order: the last one matching a path decides (a `!` pattern lets it back in). */
const dockerignore = read('.dockerignore')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const globToRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}(/.*)?$`,
  );
const isIgnored = (path: string): boolean => {
  let ignored = false;
  for (const line of dockerignore) {
    const negated = line.startsWith('!');
    const pattern = normalize(negated ? line.slice(1) : line);
    if (globToRegExp(pattern).test(normalize(path))) ignored = !negated;
  }
  return ignored;
};

describe('Dockerfile', () => {
  const stages = parseDockerfile(read('Dockerfile'));
  const runtime = stages.at(-1)!;
  const build = stages.find((stage) => runsOf(stage).some((run) => /\bnpm run build\b/.test(run)));

  test('is multi-stage, on the official Node 24 image (package.json engines) in every stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toMatch(/^node:24(-|$)/);
    expect(JSON.parse(read('package.json')).engines.node).toBe('>=24');
  });

  test('the build stage installs every dependency and compiles, the runtime stage does not compile', () => {
    expect(build).toBeDefined();
    expect(build).not.toBe(runtime);
    expect(build!.name).toBeDefined();
    const runs = runsOf(build!);
    const install = runs.findIndex((run) => /\bnpm ci\b/.test(run) && !run.includes('--omit'));
    const compile = runs.findIndex((run) => /\bnpm run build\b/.test(run));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(compile).toBeGreaterThan(install);
    // The build script is tsc with tsconfig.build.json (which extends tsconfig.json): both are in the stage.
    expect(JSON.parse(read('package.json')).scripts.build).toBe('tsc -p tsconfig.build.json');
    const copied = copiesOf(build!).flatMap((copy) => copy.sources.map(normalize));
    expect(copied).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']),
    );
    expect(runsOf(runtime).some((run) => /\bnpm run build\b|\btsc\b/.test(run))).toBe(false);
  });

  test('the runtime stage installs production dependencies only, and runs with NODE_ENV=production', () => {
    const runs = runsOf(runtime);
    expect(runs.filter((run) => /\bnpm (ci|install|i)\b/.test(run))).toEqual([
      expect.stringMatching(/\bnpm ci\b.*--omit=dev/),
    ]);
    // node_modules come from that install, never from the build stage (which has the devDependencies).
    const copied = copiesOf(runtime).flatMap((copy) => copy.sources.map(normalize));
    expect(copied.filter((source) => source.includes('node_modules'))).toEqual([]);
    expect(envOf(runtime).NODE_ENV).toBe('production');
  });

  test('copies what the server reads at run time: the compiled code, the SDL, the migrations and their settings, the trusted documents', () => {
    const copies = copiesOf(runtime);
    const fromContext = copies.filter((copy) => copy.from === undefined).flatMap((copy) => copy.sources.map(normalize));
    // package.json: "type": "module" makes node load dist/*.js as ES modules.
    expect(fromContext).toEqual(
      expect.arrayContaining([
        'package.json',
        'package-lock.json',
        'schema',
        'migrations',
        '.gmrc',
        'persisted-query-manifest.json',
      ]),
    );
    // Production reads it by default (TRUSTED_DOCUMENTS=log), from the repository root: beside dist/ in the image.
    expect(read('src/platform/graphql/trusted-documents/settings.ts')).toMatch(
      /DEFAULT_MANIFEST_PATH = join\(import\.meta\.dirname, '\.\.', '\.\.', '\.\.', '\.\.', 'persisted-query-manifest\.json'\)/,
    );
    expect(JSON.parse(read('package.json')).type).toBe('module');
    const dist = copies.find(
      (copy) => copy.from === build!.name && copy.sources.some((source) => normalize(source).endsWith('dist')),
    );
    expect(dist).toBeDefined();
    // The server finds schema/ and migrations/ beside dist/ (src/platform/graphql/schema.ts, .gmrc's default folder).
    expect(read('src/platform/graphql/schema.ts')).toMatch(
      /SCHEMA_DIR = join\(import\.meta\.dirname, '\.\.', '\.\.', '\.\.', 'schema'\)/,
    );
    expect(read('.gmrc')).not.toMatch(/migrationsFolder/);
  });

  test('copies only files that exist and that .dockerignore lets into the build context', () => {
    const sources = stages.flatMap((stage) =>
      copiesOf(stage)
        .filter((copy) => copy.from === undefined)
        .flatMap((copy) => copy.sources),
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !existsSync(join(ROOT, source)))).toEqual([]);
    expect(sources.filter(isIgnored)).toEqual([]);
  });

  test('runs as a non-root user', () => {
    const users = runtime.instructions
      .filter((instruction) => instruction.keyword === 'USER')
      .map((user) => user.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1));
    const keywords = runtime.instructions.map((instruction) => instruction.keyword);
    expect(keywords.lastIndexOf('USER')).toBeLessThan(keywords.lastIndexOf('CMD'));
  });

  test('starts the API with node dist/main.js (exec form, so node gets SIGTERM), compiled from src/main.ts', () => {
    const commands = runtime.instructions.filter((instruction) => instruction.keyword === 'CMD');
    expect(commands).toHaveLength(1);
    expect(JSON.parse(commands[0]!.args)).toEqual(['node', 'dist/main.js']);
    expect(runtime.instructions.some((instruction) => instruction.keyword === 'ENTRYPOINT')).toBe(false);
    const tsconfig = JSON.parse(read('tsconfig.build.json'));
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    for (const entry of ['main', 'worker', 'lambda']) expect(existsSync(join(ROOT, 'src', `${entry}.ts`))).toBe(true);
  });

  test('exposes the default PORT', () => {
    const exposed = runtime.instructions
      .filter((instruction) => instruction.keyword === 'EXPOSE')
      .flatMap((expose) => expose.args.split(/\s+/));
    expect(exposed).toContain(String(defaultOf('PORT')));
  });

  describe('HEALTHCHECK', () => {
    const healthchecks = runtime.instructions.filter((instruction) => instruction.keyword === 'HEALTHCHECK');
    const command = healthchecks[0]?.args.replace(/^(--\S+\s+)*CMD\s+/, '') ?? '';
    const script = /^node -e "(.*)"$/.exec(command)?.[1] ?? '';

    test('asks /healthz with node itself (the image has no curl)', () => {
      expect(healthchecks).toHaveLength(1);
      expect(script).toContain('/healthz');
      expect(command).not.toMatch(/\b(curl|wget)\b/);
      expect(read('src/platform/http/server.ts')).toContain("url.pathname === '/healthz'");
    });

    /** Runs the health check's script as Docker would, against a stand-in server answering `status`. */
    const probe = async (status: number | undefined): Promise<number | null> => {
      const server = createServer((request, response) => {
        response.statusCode = request.url === '/healthz' ? status! : 404;
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      if (status === undefined) await new Promise((resolve) => server.close(resolve));
      try {
        const child = spawn(process.execPath, ['-e', script], {
          env: { PATH: process.env.PATH, PORT: String(port) },
          stdio: 'ignore',
        });
        return await new Promise((resolve) => child.on('exit', (code) => resolve(code)));
      } finally {
        if (status !== undefined) await new Promise((resolve) => server.close(resolve));
      }
    };

    test('exits 0 when /healthz answers 200, 1 when it fails or nothing listens', async () => {
      expect(await probe(200)).toBe(0);
      expect(await probe(503)).toBe(1);
      expect(await probe(undefined)).toBe(1);
    });
  });
});

describe('.dockerignore', () => {
  test('keeps dependencies, build output, local state, secrets and git out of the build context', () => {
    for (const path of [
      'node_modules',
      'dist',
      '.data',
      '.data/postgres',
      '.env',
      '.git',
      'bench/results',
      'coverage',
      'kingdom-lambda.zip',
    ]) {
      expect([path, isIgnored(path)]).toEqual([path, true]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------------------------------------

type Service = {
  image?: string;
  build?: string | { context: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  stop_grace_period?: string;
  profiles?: string[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> } & Record<string, unknown>;

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml');
  /** Without comments: compose substitutes only in values. */
  const values = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
  const compose = parseYaml(text, { merge: true }) as Compose;
  const { postgres, api, worker } = compose.services;
  const kingdomServices = { api: api!, worker: worker! };
  const notPassed = compose['x-not-passed-env'] as Record<string, string>;

  test('runs postgres, the API and the worker; the observe profile adds a collector and Grafana LGTM', () => {
    const inProfile = (name: string) => (compose.services[name]!.profiles ?? []).length > 0;
    expect(sorted(Object.keys(compose.services).filter((name) => !inProfile(name)))).toEqual([
      'api',
      'postgres',
      'worker',
    ]);
    const observe = Object.entries(compose.services).filter(([, service]) => service.profiles?.includes('observe'));
    expect(sorted(observe.map(([name]) => name))).toEqual(['lgtm', 'otel-collector']);
  });

  test('observe: the collector receives OTLP, scrapes both processes and sends everything to LGTM', () => {
    const collector = compose.services['otel-collector']!;
    expect(collector.image).toMatch(/^otel\/opentelemetry-collector(-contrib)?:\d/);
    expect(compose.services.lgtm!.image).toMatch(/^grafana\/otel-lgtm:\d/);
    const mounted = collector.volumes?.map((volume) => volume.split(':')[0]) ?? [];
    expect(mounted).toEqual(['./observe/otel-collector.yaml']);
    const config = parseYaml(read('observe/otel-collector.yaml')) as {
      receivers: {
        otlp: unknown;
        prometheus: { config: { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> } };
      };
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
    };
    const targets = config.receivers.prometheus.config.scrape_configs.flatMap((job) =>
      job.static_configs.flatMap((group) => group.targets),
    );
    expect(sorted(targets.map((target) => target.split(':')[0]!))).toEqual(['api', 'worker']);
    expect(Object.values(config.exporters).map((exporter) => new URL(exporter.endpoint).hostname)).toEqual(['lgtm']);
    expect(config.service.pipelines.traces!.receivers).toEqual(['otlp']);
    expect(config.service.pipelines.metrics!.receivers).toEqual(['prometheus']);
    // The compose file names the endpoint the api and the worker should export to: the collector's OTLP/HTTP port.
    expect(read('docker-compose.yml')).toContain('OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318');
  });

  test('postgres: the official image, a health check with pg_isready, its data in a named volume', () => {
    expect(postgres!.image).toMatch(/^postgres:\d+/);
    expect(JSON.stringify(postgres!.healthcheck?.test)).toContain('pg_isready');
    const major = Number(/^postgres:(\d+)/.exec(postgres!.image!)![1]);
    // Postgres 18+ images keep their data under /var/lib/postgresql/<major>/docker, and refuse a mount at .../data.
    const dataDirectory = major >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
    const mount = postgres!.volumes?.find((volume) => volume.split(':')[1] === dataDirectory);
    expect(mount).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount!.split(':')[0]);
  });

  test('the API and the worker run the same image, built from this Dockerfile', () => {
    for (const service of Object.values(kingdomServices)) {
      expect(typeof service.build === 'string' ? service.build : service.build?.context).toBe('.');
    }
    expect(worker!.image).toBe(api!.image);
  });

  test('the API: the image command, published on its port, after postgres is healthy', () => {
    expect(api!.command).toBeUndefined();
    expect(api!.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(api!.ports?.map((port) => port.split(':').at(-1))).toContain(String(api!.environment?.PORT));
    expect(api!.environment).toMatchObject({ HOST: '0.0.0.0', WORKER_IN_API: 'false' });
  });

  test('the worker: node dist/worker.js, after postgres is healthy, no HTTP health check, no token key', () => {
    const command = typeof worker!.command === 'string' ? worker!.command.split(/\s+/) : worker!.command;
    expect(command).toEqual(['node', 'dist/worker.js']);
    expect(worker!.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(worker!.healthcheck).toEqual({ disable: true });
    expect(worker!.ports).toBeUndefined();
    expect(
      Object.keys(worker!.environment ?? {}).filter(
        (name) => name.startsWith('JWT_') || name.startsWith('KINGDOM_ADMIN_'),
      ),
    ).toEqual([]);
  });

  test('both use the postgres service as their database', () => {
    const environment = postgres!.environment ?? {};
    const url = new URL(String(api!.environment?.DATABASE_URL));
    expect(url.hostname).toBe('postgres');
    expect([url.username, url.password, url.pathname.slice(1)]).toEqual([
      environment.POSTGRES_USER,
      environment.POSTGRES_PASSWORD,
      environment.POSTGRES_DB,
    ]);
    expect(worker!.environment?.DATABASE_URL).toBe(api!.environment?.DATABASE_URL);
  });

  test('JWT_SECRET and the administrator password must be given (no secret in the file)', () => {
    expect(api!.environment?.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?.+\}$/);
    expect(api!.environment?.KINGDOM_ADMIN_PASSWORD).toMatch(/^\$\{KINGDOM_ADMIN_PASSWORD:\?.+\}$/);
    expect(api!.environment?.KINGDOM_ADMIN_EMAIL).toMatch(/^\$\{KINGDOM_ADMIN_EMAIL:-.+\}$/);
  });

  test('stopping waits longer than SHUTDOWN_GRACE_MS, so in-flight work finishes before a SIGKILL', () => {
    for (const service of Object.values(kingdomServices)) {
      const seconds = /^(\d+)s$/.exec(service.stop_grace_period ?? '')?.[1];
      expect(Number(seconds) * 1000).toBeGreaterThan(defaultOf('SHUTDOWN_GRACE_MS') as number);
    }
  });

  test('names every variable the configuration reads: passed to a service, or listed in x-not-passed-env', () => {
    const passed = new Set(Object.values(kingdomServices).flatMap((service) => Object.keys(service.environment ?? {})));
    const listed = Object.keys(notPassed);
    expect(listed.filter((name) => passed.has(name))).toEqual([]);
    expect(configVariables.filter((name) => !passed.has(name) && !listed.includes(name))).toEqual([]);
    expect(sorted([...passed, ...listed].filter((name) => !configVariables.includes(name)))).toEqual([]);
  });

  test('substitutes only variables the configuration reads, each into itself', () => {
    const substituted = [...values.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!);
    expect(substituted.filter((name) => !configVariables.includes(name))).toEqual([]);
    for (const service of Object.values(kingdomServices)) {
      for (const [name, value] of Object.entries(service.environment ?? {})) {
        const names = [...String(value).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]);
        expect([name, names.filter((other) => other !== name)]).toEqual([name, []]);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// .env.example
// ---------------------------------------------------------------------------------------------------------------------

describe('.env.example', () => {
  const lines = read('.env.example').split('\n');
  const VARIABLE = /^(# )?([A-Z][A-Z0-9_]*)=(.*)$/;
  const entries = lines.flatMap((line, index) => {
    const match = VARIABLE.exec(line);
    if (!match) return [];
    const raw = match[3]!.trim();
    const value = /^".*"$/.test(raw) ? raw.slice(1, -1) : raw;
    return [{ line: index, commented: match[1] !== undefined, name: match[2]!, value }];
  });
  const names = entries.map((entry) => entry.name);

  test('lists every variable the configuration reads, once, and no other', () => {
    expect(configVariables.filter((name) => !names.includes(name))).toEqual([]);
    expect(names.filter((name) => !configVariables.includes(name))).toEqual([]);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  test('explains each variable in the comment above it', () => {
    for (const entry of entries) {
      const above = lines[entry.line - 1] ?? '';
      expect([entry.name, above.startsWith('# ') && !VARIABLE.test(above) && above.length > 10]).toEqual([
        entry.name,
        true,
      ]);
    }
  });

  test('shows each variable with its default: what the server does when it is unset', () => {
    for (const entry of entries.filter((candidate) => configVariables.includes(candidate.name))) {
      expect([entry.name, effectiveValue(entry.name, entry.value)]).toEqual([entry.name, defaultOf(entry.name)]);
    }
  });

  test('sets nothing itself: uncommented lines are empty, and name every variable docker compose requires', () => {
    expect(entries.filter((entry) => !entry.commented && entry.value !== '')).toEqual([]);
    const required = [...read('docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1]!);
    const uncommented = entries.filter((entry) => !entry.commented).map((entry) => entry.name);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !uncommented.includes(name))).toEqual([]);
  });
});
