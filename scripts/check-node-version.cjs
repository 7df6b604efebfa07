/**
 * Loaded first by every npm script that runs TypeScript (`node --require ./scripts/check-node-version.cjs ...`):
 * plain CommonJS, so any Node can read it. Kingdom runs TypeScript natively and its dependencies need Node 24; an
 * older Node would otherwise die on the `.ts` extension (Node 20) or deep inside a dependency, never saying why.
 * The required major version is read from package.json `engines`, the one place it is declared.
 */
'use strict';

const { engines } = require('../package.json');

const required = Number(/^>=\s*(\d+)/.exec(engines.node)[1]);
const current = process.versions.node;

if (Number(current.split('.')[0]) < required) {
  process.stderr.write(
    `Kingdom needs Node.js ${required} or newer; this is ${current}. ` +
      `Install Node.js ${required} (with nvm: \`nvm install\`, which reads .nvmrc) and run the command again.\n`,
  );
  process.exit(1);
}
