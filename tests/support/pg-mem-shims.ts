/**
 * Rewrites of Postgres SQL that pg-mem cannot run into SQL it runs with the same answers, applied by the pg-mem
 * driver to every statement after its parameters are inlined. Source SQL is written for Postgres; what pg-mem lacks
 * is bridged here, never in src/ (docs/decisions/0020-pg-mem-as-the-fast-tier.md lists each gap and why the
 * rewrite is faithful). Each rewrite is proven against pg-mem in tests/integration/pg-mem-shims.test.ts.
 */

/** `sticky` (a regex with the y flag) matched exactly at `index`, without copying the rest of a long statement. */
const matchAt = (sticky: RegExp, text: string, index: number): RegExpExecArray | null => {
  sticky.lastIndex = index;
  return sticky.exec(text);
};

/** One rewrite: finds its construct at `start` (an opening parenthesis or a keyword) and returns the replacement. */
type Shim = (text: string, start: number) => { readonly replacement: string; readonly end: number } | null;

/**
 * The top-level comma-separated parts between the bracket at `open` and its match, and the index just past the
 * match; null if unbalanced. String literals and quoted identifiers are skipped whole.
 */
export const splitBracketed = (text: string, open: number): { parts: string[]; end: number } | null => {
  const closing: Record<string, string> = { '(': ')', '[': ']' };
  const stack: string[] = [];
  const parts: string[] = [];
  let partStart = open + 1;
  let index = open;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === "'" || char === '"') {
      index = afterQuoted(text, index, char);
      continue;
    }
    if (char in closing) stack.push(closing[char] ?? '');
    else if (char === ')' || char === ']') {
      if (stack.pop() !== char) return null;
      if (stack.length === 0) {
        parts.push(text.slice(partStart, index).trim());
        return { parts, end: index + 1 };
      }
    } else if (char === ',' && stack.length === 1) {
      parts.push(text.slice(partStart, index).trim());
      partStart = index + 1;
    }
    index += 1;
  }
  return null;
};

const afterQuoted = (text: string, start: number, quote: string): number => {
  let index = start + 1;
  while (index < text.length) {
    if (text[index] === quote && text[index + 1] === quote) index += 2;
    else if (text[index] === quote) return index + 1;
    else index += 1;
  }
  return text.length;
};

/**
 * `(a, b) > (x, y)` (pg-mem: "invalid input syntax", it compares the rows as one value) becomes
 * `(a > x OR (a = x AND b > y))`, which is the row comparison's definition for two columns.
 */
const rowComparison: Shim = (text, start) => {
  if (text[start] !== '(') return null;
  const left = splitBracketed(text, start);
  if (left?.parts.length !== 2) return null;
  const operator = matchAt(/\s*(<=|>=|<|>)\s*\(/y, text, left.end);
  if (!operator?.[1]) return null;
  const right = splitBracketed(text, left.end + operator[0].length - 1);
  if (right?.parts.length !== 2) return null;
  const [a, b] = left.parts as [string, string];
  const [x, y] = right.parts as [string, string];
  const strict = operator[1].slice(0, 1);
  return {
    replacement: `((${a}) ${strict} (${x}) OR ((${a}) = (${x}) AND (${b}) ${operator[1]} (${y})))`,
    end: right.end,
  };
};

/**
 * `= ANY(ARRAY[...]::type[])` (pg-mem: matches nothing) becomes `IN (...::type, ...)`. An empty array would need
 * an empty IN list, which is a syntax error: the source never sends one (an empty scope is `FALSE`).
 */
const anyOfArray: Shim = (text, start) => {
  const head = matchAt(/=\s*ANY\s*\(\s*ARRAY\[/iy, text, start);
  if (!head) return null;
  const elements = splitBracketed(text, start + head[0].length - 1);
  if (!elements) return null;
  const tail = matchAt(/::([a-z_][a-z0-9_]*)\[\]\s*\)/iy, text, elements.end);
  if (!tail?.[1]) return null;
  const type = tail[1];
  return {
    replacement: `IN (${elements.parts.map((element) => `(${element})::${type}`).join(', ')})`,
    end: elements.end + tail[0].length,
  };
};

/**
 * `ON CONFLICT (columns) DO NOTHING` (pg-mem: RETURNING then yields the existing row, as if inserted) becomes
 * `ON CONFLICT DO NOTHING`. The same answers only while the target is the table's one unique key, which holds for
 * every statement in src/ that names one (the shim's tests pin the tables).
 */
const conflictTarget: Shim = (text, start) => {
  const found = matchAt(/ON\s+CONFLICT\s*\([^()]*\)\s*DO\s+NOTHING/iy, text, start);
  return found ? { replacement: 'ON CONFLICT DO NOTHING', end: start + found[0].length } : null;
};

/** graphile-worker's `add_job` signature, in order: named arguments become positional ones (pg-mem cannot parse `=>`). */
const addJobParameters = ['identifier', 'payload', 'queue_name', 'run_at', 'max_attempts', 'job_key'];

const namedAddJob: Shim = (text, start) => {
  const head = matchAt(/graphile_worker\.add_job\s*\(/iy, text, start);
  if (!head) return null;
  const call = splitBracketed(text, start + head[0].length - 1);
  if (!call?.parts.some((part) => /^[a-z_]+\s*=>/i.test(part))) return null;
  const positional: string[] = addJobParameters.map(() => 'NULL');
  call.parts.forEach((part, position) => {
    const named = /^([a-z_]+)\s*=>\s*([\s\S]*)$/i.exec(part);
    const index = named?.[1] ? addJobParameters.indexOf(named[1].toLowerCase()) : position;
    if (index < 0) throw new Error(`pg-mem add_job shim does not know the argument ${named?.[1]}`);
    positional[index] = named?.[2] ?? part;
  });
  return { replacement: `graphile_worker.add_job(${positional.join(', ')})`, end: call.end };
};

const shims: readonly Shim[] = [namedAddJob, conflictTarget, anyOfArray, rowComparison];

/** `text` with every construct above rewritten; literals and quoted identifiers are never looked into. */
export const shimForPgMem = (text: string): string => {
  let output = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === "'" || char === '"') {
      const end = afterQuoted(text, index, char);
      output += text.slice(index, end);
      index = end;
      continue;
    }
    const boundary = index === 0 || !/[\w.$]/.test(text[index - 1] ?? '') || char === '(' || char === '=';
    const rewritten = boundary ? firstMatch(text, index) : null;
    if (rewritten) {
      output += rewritten.replacement;
      index = rewritten.end;
      continue;
    }
    output += char;
    index += 1;
  }
  return output;
};

const firstMatch = (text: string, index: number) => {
  for (const shim of shims) {
    const found = shim(text, index);
    if (found) return found;
  }
  return null;
};
