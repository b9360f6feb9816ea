import { checkField, listSeparator, PAPER_FIELDS, type PaperField } from '../corpus/paper.js';
import { InputError } from '../base/errors.js';
import { unguardFormula } from '../base/text/formulas.js';
import { readRecords, type Item } from './papers.js';
import type { Reading } from './types.js';

interface Row {
  record: string[];
  info: { lines: number };
}

const isField = (name: string): name is PaperField => (PAPER_FIELDS as readonly string[]).includes(name);

/**
 * papers' own CSV export read back: a header row of field names (all of them, or those `--fields` chose, in
 * any order), then a paper a row. A cell is the field as `export` wrote it: lists joined as fieldText joins them,
 * a formula's guarding `'` taken off, nothing for no value. Every field is then checked as the corpus checks it.
 */
export async function readCsv(text: string, name: string): Promise<Reading> {
  const { parse } = await import('csv-parse/sync');
  let rows: Row[];
  try {
    // One line end throughout: the parser counts a CR LF inside a quoted cell as two lines.
    rows = parse(text.replace(/\r\n?/g, '\n'), { bom: true, info: true, skip_empty_lines: true }) as unknown as Row[];
  } catch (error) {
    const { message, lines } = error as Error & { lines?: number };
    throw new InputError(`not valid CSV (${message.replace(/ (?:on|at) line \d+$/, '')})`, name, lines);
  }
  const [header, ...body] = rows;
  if (!header) return { papers: [], skipped: 0, repeated: 0 };
  const columns = header.record.map((cell) => cell.trim());
  const fields = `papers' field names (${PAPER_FIELDS.join(', ')}), as \`papers export --format csv\` writes`;
  columns.forEach((column, index) => {
    if (!isField(column)) throw new InputError(`unknown column \`${column}\` in the header; its columns are ${fields}`, name, 1);
    if (columns.indexOf(column) !== index) throw new InputError(`the header has the column \`${column}\` twice`, name, 1);
  });
  for (const required of ['title', 'abstract']) {
    if (!columns.includes(required)) throw new InputError(`the header has no \`${required}\` column; its columns are ${fields}`, name, 1);
  }
  const items = body.map(({ record, info }): Item => {
    // The parser gives the line a row ends on; it starts as many lines before as its cells hold line breaks.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    const value: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      const cell = unguardFormula(record[index] ?? '');
      const field = column as PaperField;
      if (cell !== '') value[field] = isListField(field) ? splitList(cell, field) : cell;
      // An empty cell is no value: null for the fields that say "none" with null (a code link, a digest date).
      else if ('value' in checkField(field, null)) value[field] = null;
    });
    return { value, line, fieldLine: () => line };
  });
  return readRecords(items, name);
}

const isListField = (field: PaperField) => 'value' in checkField(field, ['x']);

function splitList(cell: string, field: PaperField): string[] {
  const separator = listSeparator(field).trim();
  const items = separator === '' ? cell.split(/\s+/) : cell.split(separator);
  return items.map((item) => item.trim()).filter(Boolean);
}
