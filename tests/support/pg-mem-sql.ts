/**
 * Turns a parameterised query (`$1`, `$2`, ...) into plain SQL text for pg-mem, whose own `$n` binding is buggy
 * ("No execution context available"). The values are inlined as SQL literals, the way pg-mem's bundled adapters
 * do, with two extra guarantees: placeholders inside string literals, quoted identifiers, comments and
 * dollar-quoted bodies are left alone, and every literal is self-delimiting (quotes doubled, negative numbers
 * parenthesised so `a-$1` cannot become the comment `a--1`).
 */
export const inlineParameters = (text: string, values: readonly unknown[] = []): string => {
  let output = '';
  let index = 0;
  while (index < text.length) {
    const skipped = skipQuotedOrComment(text, index);
    if (skipped > index) {
      output += text.slice(index, skipped);
      index = skipped;
      continue;
    }
    const rest = text.slice(index);
    const placeholder = /^\$(\d+)/.exec(rest);
    if (placeholder?.[1]) {
      const position = Number(placeholder[1]);
      if (position < 1 || position > values.length) {
        throw new Error(`Query uses $${position} but only ${values.length} value(s) were bound.`);
      }
      output += toSqlLiteral(values[position - 1]);
      index += placeholder[0].length;
      continue;
    }
    // slonik quotes type names (`$1::"int4"[]`); pg-mem only resolves the aliases unquoted. Lowercase quoted names
    // mean exactly the same as unquoted ones in Postgres, so unquoting is safe.
    const quotedCast = /^::"([a-z_][a-z0-9_]*)"/.exec(rest);
    if (quotedCast?.[1]) {
      output += `::${quotedCast[1]}`;
      index += quotedCast[0].length;
      continue;
    }
    output += text[index];
    index += 1;
  }
  return output;
};

/** Index just past the literal / identifier / comment starting at `start`, or `start` if there is none. */
const skipQuotedOrComment = (text: string, start: number): number => {
  const rest = text.slice(start);
  if (rest.startsWith('--')) return indexAfter(text, '\n', start + 2);
  if (rest.startsWith('/*')) return indexAfter(text, '*/', start + 2);
  if (rest.startsWith('"')) return indexAfterQuote(text, '"', start + 1, false);
  if (rest.startsWith("'")) {
    // E'...' strings honour backslash escapes; standard strings only the doubled quote.
    const escapeString = /[eE]$/.test(text.slice(0, start)) && !/[\w$][eE]$/.test(text.slice(0, start));
    return indexAfterQuote(text, "'", start + 1, escapeString);
  }
  const dollarTag = /^\$([A-Za-z_][\w]*)?\$/.exec(rest);
  if (dollarTag && !/[\w$]$/.test(text.slice(0, start)))
    return indexAfter(text, dollarTag[0], start + dollarTag[0].length);
  return start;
};

const indexAfter = (text: string, terminator: string, from: number): number => {
  const found = text.indexOf(terminator, from);
  return found === -1 ? text.length : found + terminator.length;
};

const indexAfterQuote = (text: string, quote: string, from: number, backslashEscapes: boolean): number => {
  let index = from;
  while (index < text.length) {
    const char = text[index];
    if (backslashEscapes && char === '\\') index += 2;
    else if (char === quote && text[index + 1] === quote) index += 2;
    else if (char === quote) return index + 1;
    else index += 1;
  }
  return text.length;
};

const quote = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** The SQL literal Postgres would see if `value` were sent as a bound parameter by node-postgres. */
export const toSqlLiteral = (value: unknown): string => {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value < 0n ? `(${value})` : String(value);
    case 'number': {
      // Exponent or non-finite forms are not plain numeric literals (pg-mem reads `1e21` as `1 AS e21`): quote them.
      const text = String(value);
      if (!/^-?\d+(\.\d+)?$/.test(text)) return quote(text);
      return value < 0 ? `(${text})` : text;
    }
    case 'object': {
      if (value instanceof Date) return quote(value.toISOString());
      if (Array.isArray(value)) return value.length === 0 ? "'{}'" : `ARRAY[${value.map(toSqlLiteral).join(', ')}]`;
      if (Buffer.isBuffer(value))
        throw new TypeError('Binary values (sql.binary) are not supported by the pg-mem driver.');
      // node-postgres sends other objects as JSON text.
      return quote(JSON.stringify(value));
    }
    default:
      throw new TypeError(`Cannot inline a ${typeof value} value into SQL.`);
  }
};
