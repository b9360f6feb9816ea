import { loadCorpusView, papersByRef, refuseCorpus, writeOutputFile, type Context } from '../app/context.js';
import { readNotes } from '../corpus/notes.js';
import { loadYamlReader } from '../index/open.js';
import { PAPER_FIELDS, type PaperField } from '../corpus/paper.js';
import { startProgress } from '../base/progress.js';
import { isTerminalPath, sanitizeLines } from '../base/terminal.js';
import type { ExportFormat, KeyStyle } from '../render/formats.js';
import { NotFoundError } from '../base/errors.js';
import { parseQuery } from '../search/query.js';
import { notedIndex } from '../index/notes.js';
import { explainNoMatch, rankPapers } from '../search/rank.js';
import { checkWindow, nothingInCorpus, nothingSelected, selectionFilters, selectionTest, selects, type Selection } from '../search/select.js';
import { plural } from '../base/text/english.js';

export interface ExportOptions extends Selection {
  format?: ExportFormat;
  query?: string;
  fields?: PaperField[];
  output?: string;
  formulaGuard?: boolean;
  key?: KeyStyle;
}

const CITATION_FORMATS = new Set<ExportFormat>(['bibtex', 'csl-json', 'ris']);
const DATA_FORMATS = new Set<ExportFormat>(['json', 'ndjson', 'yaml', 'csv']);

// Roughly the bytes of output a paper makes: enough to tell a one-second export from an instant one.
const BYTES_A_PAPER = 2048;

/**
 * `papers export [<ref>...]`: every paper, or the papers named, in the order named (each once). The filters
 * and --query narrow either; papers named keep their order, a query alone ranks best first.
 */
export async function exportPapers(context: Context, refs: string[], options: ExportOptions): Promise<void> {
  if (options.output !== undefined && options.output !== '-') refuseCorpus(context, options.output);
  const query = options.query === undefined ? null : parseQuery(options.query);
  checkWindow(options.since, options.until);
  const corpus = await loadCorpusView(context);
  const wanted = selectionTest(options);
  const format = options.format ?? 'json';
  const fields = options.fields ?? PAPER_FIELDS;
  // A note is a field of every record, unless --fields chose others (CSV has none: its columns are the corpus's).
  const notes = options.fields !== undefined && DATA_FORMATS.has(format) ? undefined : readNotes(context.corpusPath);
  const { renderExport } = await import('../render/export.js');
  let exported = 0;
  let output: string | Iterable<string>;
  // The whole corpus narrowed by its facets first (see selectionFilters): only the papers that pass them are read.
  const filters = !query && refs.length === 0 ? selectionFilters(options) : null;
  const candidates = filters && corpus.select(filters);
  // Nothing selected is said, and nothing written (an -o file is left as it was), before any output starts.
  if (!query && refs.length === 0 && selects(options)) {
    const any = candidates
      ? candidates.length > 0 && (options.author === undefined || corpus.summariesOf(candidates).some(wanted))
      : corpus.summaries().some(wanted);
    if (!any) throw new NotFoundError(nothingInCorpus(corpus, options));
  }
  if (format === 'ndjson' && !query && refs.length === 0) {
    // A line a paper: written a file's worth at a time, so that a corpus of a million papers is never held whole.
    const progress = startProgress(context.io, `exporting ${corpus.count} papers`, corpus.count * BYTES_A_PAPER);
    // Once lines are out, a folder's file whose cache proves damaged is read from its YAML instead.
    if (context.cache) await loadYamlReader();
    output = (function* () {
      let read = 0;
      for (const chunk of corpus.chunks(candidates ?? undefined)) {
        const papers = chunk.filter(wanted);
        exported += papers.length;
        read += chunk.length;
        progress.label(`exporting ${corpus.count} papers: ${read} read`);
        yield renderExport(papers, format, fields, true, 'original', undefined, notes);
      }
      progress.done();
    })();
  } else {
    // A query finds words of notes, as search does.
    const index = query ? notedIndex(corpus, context.corpusPath, context.io.stderr) : null;
    const matching = index ? rankPapers(index, query!).map((hit) => hit.paper) : null;
    const all = matching || candidates ? undefined : corpus.papers();
    let found = matching ?? (candidates ? [...corpus.chunks(candidates)].flat() : all!);
    if (refs.length > 0) {
      const named = [...new Map((await papersByRef(context, corpus, refs)).map((paper) => [paper.id, paper])).values()];
      const matched = matching && new Set(matching.map((paper) => paper.id));
      found = matched ? named.filter((paper) => matched.has(paper.id)) : named;
    }
    const papers = found.filter(wanted);
    if (papers.length === 0 && (query || refs.length > 0)) {
      const quoted = query ? `\`${options.query!.trim()}\`` : '';
      if (refs.length === 0 && found.length === 0) throw new NotFoundError(explainNoMatch(index!, query!) ?? `no papers match ${quoted}`);
      const among = [refs.length > 0 ? 'of those named' : '', query ? `matching ${quoted}` : ''].filter(Boolean).join(' ');
      throw new NotFoundError(nothingSelected(found, options, among));
    }
    const progress = startProgress(context.io, `exporting ${papers.length} papers`, papers.length * BYTES_A_PAPER);
    // Citation keys are told apart over the whole corpus, so that a paper's key is the same in every export;
    // author-year keys need only what the summaries have, not every paper read whole.
    const style = options.key ?? 'original';
    const keyed = !CITATION_FORMATS.has(format) || style === 'id' ? undefined : (all ?? (style === 'authoryear' ? corpus.summaries() : corpus.papers()));
    output = await renderExport(papers, format, fields, options.formulaGuard !== false, style, keyed, notes);
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
