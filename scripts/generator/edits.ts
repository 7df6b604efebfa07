/**
 * Text edits of a generated context's own files (`generate command`). Each finds one exact place or throws a
 * GeneratorError naming the file, so a file changed by hand beyond recognition stops the generator before anything
 * is written.
 *
 * Anchors are comment lines `// generate: <slot>` (`# generate: <slot>` in SDL): new code goes just above them, at
 * their indentation, so the anchor stays last and the next generator run finds it again. Only generated contexts
 * carry them; the shell has none.
 */
import { GeneratorError } from './names.ts';

const indentBlock = (block: string, indent: string): string =>
  block
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line.length > 0 ? `${indent}${line}` : ''))
    .join('\n');

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The one line `// generate: <slot>` (or `# generate: <slot>`), with its indentation and position. */
const anchorIn = (text: string, slot: string, path: string) => {
  const pattern = new RegExp(`^([ \\t]*)(?://|#) generate: ${escape(slot)}[ \\t]*$`, 'gm');
  const found = [...text.matchAll(pattern)];
  if (found.length !== 1) {
    throw new GeneratorError(
      `${path} should have exactly one "generate: ${slot}" anchor comment, found ${found.length}: ` +
        'put it back where generated code should go (see docs/generators.md)',
    );
  }
  const [match] = found as [RegExpExecArray];
  return { index: match.index, indent: match[1] ?? '' };
};

/**
 * Inserts `block` (written unindented) just above the anchor, indented like it: a list entry right above it, a
 * declaration (`spaced`) followed by a blank line, as declarations are separated.
 */
export const aboveAnchor =
  (path: string, slot: string, block: string, { spaced = false } = {}) =>
  (text: string): string => {
    const { index, indent } = anchorIn(text, slot, path);
    return `${text.slice(0, index)}${indentBlock(block, indent)}\n${spaced ? '\n' : ''}${text.slice(index)}`;
  };

/** The value an anchor carries after its slot name: `// generate: commands of Shipment` -> `Shipment`. */
export const anchorValue = (text: string, slot: string): string | null => {
  const pattern = new RegExp(`^[ \\t]*(?://|#) generate: ${escape(slot)} (\\w+)[ \\t]*$`, 'm');
  return pattern.exec(text)?.[1] ?? null;
};

/** `export type X = A | B;` -> `export type X = A | B | C;` */
export const extendUnion =
  (path: string, typeName: string, member: string) =>
  (text: string): string => {
    const pattern = new RegExp(`(export type ${escape(typeName)} =)([^;]*);`);
    const match = pattern.exec(text);
    if (!match) throw new GeneratorError(`${path}: cannot find "export type ${typeName} = ...;"`);
    const members = (match[2] ?? '')
      .split('|')
      .map((part) => part.trim())
      .filter(Boolean);
    if (members.includes(member)) return text;
    return text.replace(pattern, `$1 ${[...members, member].join(' | ')};`);
  };
