import { stringify as csvStringify } from 'csv-stringify/sync';
import type { Notes } from '../corpus/notes.js';
import { fieldText, PAPER_FIELDS, paperRecord, type Paper, type PaperField } from '../corpus/paper.js';
import { safeYaml } from '../corpus/yaml.js';
import { guardFormula } from '../base/text/formulas.js';
import { renderBibtex } from './bibtex.js';
import { renderCslJson, renderRis, type KeyedPaper } from './citation.js';
import type { ExportFormat, KeyStyle } from './formats.js';
import { renderJson, safeJson } from './json.js';
import { renderMarkdown } from './markdown.js';

/** The formats that load a library (Citation.js's name parser) first, and so give a promise. */
type LoadingFormat = 'csl-json' | 'ris';

/**
 * The papers in an export format. `fields` and `guardFormulas` are for the data formats (JSON, NDJSON, YAML, CSV);
 * `key` and `corpus` (every paper, over which clashing keys are told apart) are for the citation formats (BibTeX,
 * CSL JSON, RIS); `notes`, the user's notes by paper id, are carried by every format but CSV. CSL JSON and RIS give
 * a promise: await the result.
 */
export function renderExport(
  papers: Paper[],
  format: Exclude<ExportFormat, LoadingFormat>,
  fields?: readonly PaperField[],
  guardFormulas?: boolean,
  key?: KeyStyle,
  corpus?: readonly KeyedPaper[],
  notes?: Notes,
): string;
export function renderExport(
  papers: Paper[],
  format: ExportFormat,
  fields?: readonly PaperField[],
  guardFormulas?: boolean,
  key?: KeyStyle,
  corpus?: readonly KeyedPaper[],
  notes?: Notes,
): string | Promise<string>;
export function renderExport(
  papers: Paper[],
  format: ExportFormat,
  fields: readonly PaperField[] = PAPER_FIELDS,
  guardFormulas = true,
  key: KeyStyle = 'original',
  corpus?: readonly KeyedPaper[],
  notes?: Notes,
): string | Promise<string> {
  // The data formats carry a note as one more field, null where a paper has none.
  const record = (paper: Paper) => (notes ? { ...paperRecord(paper, fields), note: notes.get(paper.id) ?? null } : paperRecord(paper, fields));
  switch (format) {
    case 'json':
      return renderJson(papers.map(record));
    case 'ndjson':
      return papers.map((p) => `${safeJson(record(p))}\n`).join('');
    case 'yaml':
      return papers.length === 0 ? '[]\n' : safeYaml(papers.map(record), { lineWidth: 0 });
    case 'bibtex':
      return renderBibtex(papers, { key, ...(corpus && { corpus }), ...(notes && { notes }) });
    case 'csl-json':
      return renderCslJson(papers, key, corpus, notes);
    case 'ris':
      return renderRis(papers, key, corpus, notes);
    case 'markdown':
      return renderMarkdown(papers, notes);
    case 'csv':
      return csvStringify(
        papers.map((paper) => fields.map((field) => csvCell(fieldText(paper, field), guardFormulas))),
        { header: true, columns: [...fields], record_delimiter: '\r\n' },
      );
  }
}

function csvCell(text: string, guardFormulas: boolean): string {
  return guardFormulas ? guardFormula(text) : text;
}
