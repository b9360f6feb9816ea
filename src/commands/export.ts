import { loadCorpusView, refuseCorpus, writeOutputFile, type Context } from '../context.js';
import { PAPER_FIELDS, type PaperField } from '../corpus/paper.js';
import { startProgress } from '../progress.js';
import type { ExportFormat, KeyStyle } from '../render/formats.js';
import { hasAuthor } from '../corpus/ids.js';
import { NO_FILTERS, parseQuery, passes } from '../search/query.js';
import { rankPapers } from '../search/rank.js';
import { plural } from '../text/english.js';

export interface ExportOptions {
  format?: ExportFormat;
  query?: string;
  hasCode?: boolean;
  author?: string;
  since?: string;
  until?: string;
  fields?: PaperField[];
  output?: string;
  formulaGuard?: boolean;
  key?: KeyStyle;
}

// Roughly the bytes of output a paper makes: enough to tell a one-second export from an instant one.
const BYTES_A_PAPER = 2048;

export async function exportPapers(context: Context, options: ExportOptions): Promise<void> {
  if (options.output !== undefined && options.output !== '-') refuseCorpus(context, options.output);
  const query = options.query === undefined ? null : parseQuery(options.query);
  const corpus = await loadCorpusView(context);
  let papers = query ? rankPapers(corpus.index(), query).map((hit) => hit.paper) : corpus.papers();
  const filters = { ...NO_FILTERS, code: options.hasCode ? true : null, since: options.since ?? null, until: options.until ?? null };
  papers = papers.filter((p) => passes(filters, p) && (options.author === undefined || hasAuthor(p.authors, options.author)));
  const progress = startProgress(context.io, `exporting ${papers.length} papers`, papers.length * BYTES_A_PAPER);
  const { renderExport } = await import('../render/export.js');
  const text = await renderExport(papers, options.format ?? 'json', options.fields ?? PAPER_FIELDS, options.formulaGuard !== false, options.key ?? 'id');
  progress.done();
  if (options.output && options.output !== '-') {
    writeOutputFile(context, options.output, text);
    context.io.stderr.write(`wrote ${plural(papers.length, 'paper')} to ${options.output}\n`);
  } else {
    context.io.stdout.write(text);
  }
}
