import { stringify as csvStringify } from 'csv-stringify/sync';
import { PAPER_FIELDS, type Paper, type PaperField } from '../corpus/paper.js';
import { renderJson, safeJson } from './papers.js';
import { safeYaml } from './yaml.js';
import { renderBibtex, renderMarkdown } from './bibtex.js';

export const EXPORT_FORMATS = ['json', 'ndjson', 'csv', 'yaml', 'bibtex', 'markdown'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function pick(paper: Paper, fields: readonly PaperField[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of fields) record[field] = paper[field];
  return record;
}

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

export function renderExport(papers: Paper[], format: ExportFormat, fields: readonly PaperField[] = PAPER_FIELDS, guardFormulas = true): string {
  const records = papers.map((p) => pick(p, fields));
  switch (format) {
    case 'json':
      return renderJson(records);
    case 'ndjson':
      return records.map((r) => `${safeJson(r)}\n`).join('');
    case 'yaml':
      return records.length === 0 ? '[]\n' : safeYaml(records, { lineWidth: 0 });
    case 'bibtex':
      return renderBibtex(papers);
    case 'markdown':
      return renderMarkdown(papers);
    case 'csv':
      return csvStringify(
        records.map((r) => fields.map((f) => csvCell(r[f], guardFormulas))),
        { header: true, columns: [...fields], record_delimiter: '\r\n' },
      );
  }
}

function csvCell(value: unknown, guardFormulas: boolean): string {
  const text = Array.isArray(value) ? value.join(' ') : value === null || value === undefined ? '' : String(value);
  return guardFormulas && FORMULA_START.test(text) ? `'${text}` : text;
}
