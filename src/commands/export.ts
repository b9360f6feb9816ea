import { loadCorpusView, refuseCorpus, writeOutputFile, type Context } from '../context.js';
import { PAPER_FIELDS, type PaperField } from '../corpus/paper.js';
import { startProgress } from '../progress.js';
import type { ExportFormat } from '../render/formats.js';
import { parseQuery } from '../search/query.js';
import { rankPapers } from '../search/rank.js';
import { plural } from '../text/english.js';

export interface ExportOptions {
  format?: ExportFormat;
  query?: string;
  hasCode?: boolean;
  fields?: PaperField[];
  output?: string;
  formulaGuard?: boolean;
}

// Roughly the bytes of output a paper makes: enough to tell a one-second export from an instant one.
const BYTES_A_PAPER = 2048;

export async function exportPapers(context: Context, options: ExportOptions): Promise<void> {
  if (options.output !== undefined && options.output !== '-') refuseCorpus(context, options.output);
  const query = options.query === undefined ? null : parseQuery(options.query);
  const corpus = await loadCorpusView(context);
  let papers = query ? rankPapers(corpus.index(), query).map((hit) => hit.paper) : corpus.papers();
  if (options.hasCode) papers = papers.filter((p) => p.code);
  const progress = startProgress(context.io, `exporting ${papers.length} papers`, papers.length * BYTES_A_PAPER);
  const { renderExport } = await import('../render/export.js');
  const text = renderExport(papers, options.format ?? 'json', options.fields ?? PAPER_FIELDS, options.formulaGuard !== false);
  progress.done();
  if (options.output && options.output !== '-') {
    writeOutputFile(context, options.output, text);
    context.io.stderr.write(`wrote ${plural(papers.length, 'paper')} to ${options.output}\n`);
  } else {
    context.io.stdout.write(text);
  }
}
