/**
 * On a Node older than package.json `engines` asks for, every command a newcomer types stops at once with one line
 * saying so (scripts/check-node-version.cjs), instead of Node 20's `Unknown file extension ".ts"` or an error deep
 * inside a dependency. The check is plain CommonJS loaded with `--require`, before any TypeScript.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const CHECK = 'node --require ./scripts/check-node-version.cjs ';
const MESSAGE =
  /^Kingdom needs Node\.js 24 or newer; this is (\S+)\. Install Node\.js 24 \(with nvm: `nvm install`, which reads \.nvmrc\) and run the command again\.\n$/;

/** The scripts that start Node on TypeScript: directly (`node x.ts`) or through jest. */
const typeScriptScripts = Object.entries(packageJson.scripts).filter(([, command]) =>
  /^node\b.*(\.ts\b|jest)/.test(command),
);

let fakes: string;
beforeAll(() => {
  fakes = mkdtempSync(join(tmpdir(), 'kingdom-node-version-'));
  // Loaded before the check: this Node says it is 20.11.1.
  writeFileSync(join(fakes, 'node-20.cjs'), "Object.defineProperty(process.versions, 'node', { value: '20.11.1' });\n");
});
afterAll(() => rmSync(fakes, { recursive: true, force: true }));

/** Runs a package.json script's command as npm would, with `node` replaced by `node` plus `preload`. */
const runScript = (command: string, node: string, preload: string[] = []) => {
  const [, ...args] = command.split(' ');
  return spawnSync(node, [...preload, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
};

describe('the Node version check', () => {
  test('asks for the major version package.json engines names, which .nvmrc names too', () => {
    expect(packageJson.engines.node).toBe('>=24');
    expect(readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim()).toBe('24');
  });

  test('runs first in every script that starts Node on TypeScript', () => {
    expect(typeScriptScripts.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'start',
        'dev',
        'worker',
        'test:unit',
        'test:integration',
        'test:e2e',
        'db:migrate',
        'db:seed',
      ]),
    );
    expect(typeScriptScripts.filter(([, command]) => !command.startsWith(CHECK))).toEqual([]);
  });

  test.each(typeScriptScripts)('on Node 20, `npm run %s` says so in one line and exits 1', (_name, command) => {
    const result = runScript(command, process.execPath, ['--require', join(fakes, 'node-20.cjs')]);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
    expect(result.stderr).toMatch(MESSAGE);
    expect(MESSAGE.exec(result.stderr)?.[1]).toBe('20.11.1');
  });

  test('on this Node (24 or newer) it says nothing and lets the command run', () => {
    const result = spawnSync(
      process.execPath,
      ['--require', './scripts/check-node-version.cjs', '-e', 'console.log("ran")'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(result).toMatchObject({ status: 0, stdout: 'ran\n', stderr: '' });
  });

  /** A real old Node, when this machine has one (Debian's Node 20 at /usr/bin/node, say). */
  const oldNode = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin']
    .map((directory) => join(directory, 'node'))
    .find((candidate) => {
      if (!existsSync(candidate)) return false;
      const version = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
      return Number(version.split('.')[0]) < 24;
    });
  (oldNode ? test : test.skip)(`a real old Node (${oldNode ?? 'none on this machine'}) stops at \`npm start\``, () => {
    const result = runScript(packageJson.scripts.start!, oldNode!);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(MESSAGE);
    expect(result.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
  });
});
