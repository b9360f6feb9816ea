import { PAPER_FIELDS, type PaperField } from '../corpus/paper.js';
import { writeFileAtomic } from '../corpus/files.js';
import { openCorpus, type Context } from '../context.js';
import { startProgress } from '../progress.js';
import { UsageError } from '../errors.js';
import { EXPORT_FORMATS, renderExport, type ExportFormat } from '../render/export.js';
import { searchIndex } from '../search/engine.js';
import { parseQuery } from '../search/query.js';

export interface ExportOptions {
  format?: string;
  query?: string;
  hasCode?: boolean;
  fields?: string;
  output?: string;
  formulaGuard?: boolean;
}

export function parseFields(value: string | undefined): PaperField[] {
  if (value === undefined) return [...PAPER_FIELDS];
  const fields = value.split(',').map((f) => f.trim()).filter(Boolean);
  if (fields.length === 0) throw new UsageError('--fields needs at least one field name');
  for (const field of fields) {
    if (!(PAPER_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`unknown field \`${field}\` in --fields: use ${PAPER_FIELDS.join(', ')}`);
    }
  }
  return fields as PaperField[];
}

export async function exportPapers(context: Context, options: ExportOptions): Promise<void> {
  const format = (options.format ?? 'json') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`unknown --format \`${options.format}\`: use ${EXPORT_FORMATS.join(', ')}`);
  const fields = parseFields(options.fields);
  const query = options.query === undefined ? null : parseQuery(options.query);
  const corpus = await openCorpus(context);
  let papers = query ? (await searchIndex(corpus.searchSource(), query)).map((hit) => hit.paper) : corpus.papers();
  if (options.hasCode) papers = papers.filter((p) => p.code);
  // About 2 KB a paper: enough to tell a one-second export from an instant one.
  const progress = startProgress(context.io, `exporting ${papers.length} papers`, papers.length * 2048);
  const text = renderExport(papers, format, fields, options.formulaGuard !== false);
  progress.done();
  if (options.output && options.output !== '-') {
    writeFileAtomic(options.output, text);
    context.io.stderr.write(`wrote ${papers.length} paper${papers.length === 1 ? '' : 's'} to ${options.output}\n`);
  } else {
    context.io.stdout.write(text);
  }
}
