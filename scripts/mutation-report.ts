/**
 * The committed side of mutation testing (docs/how-to/mutation-testing.md):
 *
 *   node scripts/mutation-report.ts summary [REPORT] [OUT]   score by folder and survivors as Markdown
 *                                                           (default: mutation/baseline.json -> mutation/summary.md)
 *   node scripts/mutation-report.ts merge OUT REPORT...      one baseline from runs over parts of the code
 *
 * `npm run test:mutation` runs the summary after Stryker. `merge` is for running folder by folder
 * (`--mutate 'src/identity/**' --incrementalFile reports/mutation/identity.json`, ...) on a busy machine, then
 * committing the union as the baseline.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mergeReports, summaryMarkdown, badgeLine, type MutationReport } from './mutation/report.ts';

const USAGE = 'usage: node scripts/mutation-report.ts summary [REPORT] [OUT] | merge OUT REPORT...';

const read = (fileName: string): MutationReport => JSON.parse(readFileSync(fileName, 'utf8')) as MutationReport;
const today = (): string => new Date().toISOString().slice(0, 10);

const [command, ...args] = process.argv.slice(2);
if (command === 'summary') {
  const [input = 'mutation/baseline.json', output = 'mutation/summary.md'] = args;
  const report = read(input);
  writeFileSync(output, summaryMarkdown(report, today()));
  console.log(badgeLine(report, today()));
} else if (command === 'merge' && args.length >= 2) {
  const [output = '', ...inputs] = args;
  writeFileSync(output, `${JSON.stringify(mergeReports(inputs.map(read)), null, 2)}\n`);
  console.log(`merged ${inputs.length} reports into ${output}`);
} else {
  console.error(USAGE);
  process.exit(1);
}
