import { Help } from 'commander';

// Fewer columns than this beside a term, and its description goes under it instead: a few words a line are hard to read.
const MIN_DESCRIPTION_WIDTH = 30;
// How far a description under its term, or the rest of a wrapped line, is indented past the line's own indent.
const HANGING_INDENT = 4;

/** Text wrapped at spaces (a word longer than the width stays whole) to `width`, its lines after the first indented. */
export function hang(text: string, width: number, indent: number): string {
  const help = new Help();
  help.minWidthToWrap = 0;
  return help.boxWrap(text, Math.max(1, width - indent)).replaceAll('\n', `\n${' '.repeat(indent)}`);
}

/** A term and its description, side by side when there is room, else the description under the term. */
export function helpItem(indent: number, term: string, column: number, description: string, width: number): string {
  const lead = ' '.repeat(indent);
  if (width - column >= MIN_DESCRIPTION_WIDTH) return `${lead}${term.padEnd(column - indent)}${hang(description, width, column)}`;
  const under = indent + HANGING_INDENT;
  return `${lead}${hang(term, width, under)}\n${' '.repeat(under)}${hang(description, width, under)}`;
}

/**
 * Help text written for 80 columns (two-column lists of examples and query syntax, sentences) fitted to
 * `width`: each list item's description wrapped beside or under its term, other lines wrapped with an indent.
 */
export function fitHelpText(text: string, width: number): string {
  const items: ({ indent: number; term: string; column: number; description: string } | string)[] = [];
  for (const line of text.split('\n')) {
    const item = /^( +)(\S.*?)( {2,})(\S.*)$/.exec(line);
    const last = items.at(-1);
    if (item) {
      items.push({ indent: item[1]!.length, term: item[2]!, column: item[1]!.length + item[2]!.length + item[3]!.length, description: item[4]! });
    } else if (typeof last === 'object' && line.startsWith(' '.repeat(last.column)) && line.trim()) {
      last.description += ` ${line.trim()}`;
    } else {
      items.push(line);
    }
  }
  return items
    .map((item) => {
      if (typeof item === 'object') return helpItem(item.indent, item.term, item.column, item.description, width);
      const indent = item.length - item.trimStart().length;
      return `${' '.repeat(indent)}${hang(item.trimStart(), width, indent + (indent > 0 ? 2 : 0))}`;
    })
    .join('\n');
}
