import { loadCorpusView, papersByRef, refuseCorpus, writeOutputFile, type Context } from '../context.js';
import { PAPER_FIELDS, type Paper, type PaperField } from '../corpus/paper.js';
import { startProgress } from '../progress.js';
import { isTerminalPath, sanitizeLines } from '../terminal.js';
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

/**
 * `papers export [<ref>...]`: every paper, or the papers named, in the order named (each once). The filters
 * and --query narrow either; papers named keep their order, a query alone ranks best first.
 */
export async function exportPapers(context: Context, refs: string[], options: ExportOptions): Promise<void> {
  if (options.output !== undefined && options.output !== '-') refuseCorpus(context, options.output);
  const query = options.query === undefined ? null : parseQuery(options.query);
  const corpus = await loadCorpusView(context);
  const filters = { ...NO_FILTERS, code: options.hasCode ? true : null, since: options.since ?? null, until: options.until ?? null };
  const wanted = (p: Paper) => passes(filters, p) && (options.author === undefined || hasAuthor(p.authors, options.author));
  const format = options.format ?? 'json';
  const fields = options.fields ?? PAPER_FIELDS;
  const { renderExport } = await import('../render/export.js');
  let exported = 0;
  let output: string | Iterable<string>;
  if (format === 'ndjson' && !query && refs.length === 0) {
    // A line a paper: written a file's worth at a time, so that a corpus of a million papers is never held whole.
    const progress = startProgress(context.io, `exporting ${corpus.count} papers`, corpus.count * BYTES_A_PAPER);
    output = (function* () {
      let read = 0;
      for (const chunk of corpus.chunks()) {
        const papers = chunk.filter(wanted);
        exported += papers.length;
        read += chunk.length;
        progress.label(`exporting ${corpus.count} papers: ${read} read`);
        yield renderExport(papers, format, fields);
      }
      progress.done();
    })();
  } else {
    const matching = query ? rankPapers(corpus.index(), query).map((hit) => hit.paper) : null;
    let chosen = matching ?? corpus.papers();
    if (refs.length > 0) {
      const named = [...new Map((await papersByRef(context, corpus, refs)).map((paper) => [paper.id, paper])).values()];
      const matched = matching && new Set(matching.map((paper) => paper.id));
      chosen = matched ? named.filter((paper) => matched.has(paper.id)) : named;
    }
    const papers = chosen.filter(wanted);
    const progress = startProgress(context.io, `exporting ${papers.length} papers`, papers.length * BYTES_A_PAPER);
    output = await renderExport(papers, format, fields, options.formulaGuard !== false, options.key ?? 'id');
    exported = papers.length;
    progress.done();
  }
  const file = options.output !== undefined && options.output !== '-' ? options.output : null;
  const parts = typeof output === 'string' ? [output] : output;
  // A terminal is shown the data's control characters as escapes; a pipe or a file gets every byte as it is.
  const shown = (file ? isTerminalPath(file) : context.io.isTTY) ? mapParts(parts, sanitizeLines) : parts;
  if (file) {
    writeOutputFile(context, file, shown);
    context.io.stderr.write(`wrote ${plural(exported, 'paper')} to ${file}\n`);
  } else {
    for (const part of shown) context.io.stdout.write(part);
  }
}

function* mapParts(parts: Iterable<string>, change: (text: string) => string): Iterable<string> {
  for (const part of parts) yield change(part);
}
