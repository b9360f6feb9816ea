import { loadCorpusView, type Context } from '../context.js';
import { findPaper } from '../corpus/ids.js';
import { fieldText, PAPER_FIELDS, paperRecord } from '../corpus/paper.js';
import { memoryIndex } from '../index/memory.js';
import type { OutputFormat } from '../render/formats.js';
import { renderJson } from '../render/json.js';
import { renderTsv } from '../render/rows.js';
import type { Span } from '../search/match.js';
import type { Field } from '../search/query.js';

export interface ShowOptions {
  format?: Exclude<OutputFormat, 'table'>;
  highlight?: string;
}

export async function show(context: Context, id: string, options: ShowOptions): Promise<void> {
  const { io } = context;
  const corpus = await loadCorpusView(context);
  const paper = corpus.paper((await findPaper(corpus, id)).doc);
  // Reading one paper is the same view on a terminal or in a pipe; tsv and json only when asked.
  if (options.format === 'json') {
    io.stdout.write(renderJson(paperRecord(paper)));
    return;
  }
  if (options.format === 'tsv') {
    io.stdout.write(renderTsv([PAPER_FIELDS.map((field) => fieldText(paper, field))]));
    return;
  }
  let spans: Record<Field, Span[]> = { title: [], abstract: [], author: [] };
  if (options.highlight !== undefined) {
    const [{ parseQuery }, { rankPapers }] = await Promise.all([import('../search/query.js'), import('../search/rank.js')]);
    const [hit] = rankPapers(memoryIndex([paper]), parseQuery(options.highlight));
    if (hit) spans = hit.spans;
  }
  const { renderPaper } = await import('../render/paper.js');
  io.stdout.write(await renderPaper(paper, spans, io));
}
