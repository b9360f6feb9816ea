import { stringify as csvStringify } from 'csv-stringify/sync';
import { fieldText, PAPER_FIELDS, paperRecord, type Paper, type PaperField } from '../corpus/paper.js';
import { safeYaml } from '../corpus/yaml.js';
import { renderBibtex } from './bibtex.js';
import type { ExportFormat } from './formats.js';
import { renderJson, safeJson } from './json.js';
import { renderMarkdown } from './markdown.js';

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

export function renderExport(papers: Paper[], format: ExportFormat, fields: readonly PaperField[] = PAPER_FIELDS, guardFormulas = true): string {
  const records = papers.map((p) => paperRecord(p, fields));
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
        papers.map((paper) => fields.map((field) => csvCell(fieldText(paper, field), guardFormulas))),
        { header: true, columns: [...fields], record_delimiter: '\r\n' },
      );
  }
}

function csvCell(text: string, guardFormulas: boolean): string {
  return guardFormulas && FORMULA_START.test(text) ? `'${text}` : text;
}
