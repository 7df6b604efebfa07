/** The Markdown summary of `npm run bench:deep-page`: first page vs a deep page, per ordering. */

export const DEEP_PAGE_TARGET_RATIO = 1.5;

type PlanSummary = {
  readonly scans: ReadonlyArray<{
    readonly nodeType: string;
    readonly indexName: string | null;
    readonly relation: string | null;
  }>;
  readonly cursorIsIndexCondition: boolean | null;
  readonly rowsRemovedByFilter: number;
};

type PageTimes = { readonly medianMs: number; readonly p90Ms: number; readonly p99Ms: number };

export type DeepPageSummary = {
  readonly verdict: 'PASS' | 'MISS';
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly postgres: { readonly version: string };
  readonly dataset: { readonly products: number };
  readonly results: ReadonlyArray<{
    readonly ordering: string;
    readonly deepAfterRow: number;
    readonly iterationsCompleted: number;
    readonly firstPage: PageTimes;
    readonly deepPage: PageTimes;
    readonly ratioOfMedians: number;
    readonly verdict: 'PASS' | 'MISS';
    readonly explain: { readonly deepPage: PlanSummary };
  }>;
};

/** E.g. "index scan on products_pkey, cursor as Index Cond" or "... cursor as Filter, 900,000 rows removed". */
export const describePlan = (result: PlanSummary): string => {
  const scans = result.scans.map((scan) => `${scan.nodeType} on ${scan.indexName ?? scan.relation}`).join(', ');
  if (result.cursorIsIndexCondition === null) return scans;
  return result.cursorIsIndexCondition
    ? `${scans}, cursor as Index Cond`
    : `${scans}, cursor as Filter (${result.rowsRemovedByFilter.toLocaleString('en-US')} rows removed)`;
};

export const renderDeepPageMarkdown = (report: DeepPageSummary): string => {
  const requestCounts = report.results.map((result) => `${result.ordering}: ${result.iterationsCompleted}`).join(', ');
  const lines = [
    `Deep page vs first page: ${report.dataset.products.toLocaleString('en-US')} products, Postgres ${report.postgres.version}, Node ` +
      `${report.machine.node}, ${report.machine.cpus} CPUs; requests per page: ${requestCounts}`,
    '',
    '| ordering | page | median ms | p90 ms | p99 ms | deep/first median | plan of the deep-page SQL | verdict |',
    '|---|---|---:|---:|---:|---:|---|---|',
  ];
  for (const result of report.results) {
    const f = result.firstPage;
    const d = result.deepPage;
    lines.push(`| ${result.ordering} | first | ${f.medianMs} | ${f.p90Ms} | ${f.p99Ms} | | | |`);
    lines.push(
      `| ${result.ordering} | after row ${result.deepAfterRow.toLocaleString('en-US')} | ${d.medianMs} | ${d.p90Ms} | ` +
        `${d.p99Ms} | ${result.ratioOfMedians} | ${describePlan(result.explain.deepPage)} | ${result.verdict} |`,
    );
  }
  lines.push('', `Overall: ${report.verdict} (target: deep median <= ${DEEP_PAGE_TARGET_RATIO} x first median)`);
  return lines.join('\n');
};
