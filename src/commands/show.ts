import { loadCorpusView, papersByRef, type Context } from '../app/context.js';
import { readNote } from '../corpus/notes.js';
import { fieldText, PAPER_FIELDS, paperRecord, type Paper } from '../corpus/paper.js';
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

export async function show(context: Context, refs: string[], options: ShowOptions): Promise<void> {
  const { io } = context;
  const corpus = await loadCorpusView(context);
  const papers = await papersByRef(context, corpus, refs);
  const noteOf = (paper: Paper) => readNote(context.corpusPath, paper.id);
  // Reading a paper is the same view on a terminal or in a pipe; tsv and json only when asked.
  if (options.format === 'json') {
    // One paper named on the command line stays one object; several, or a list read from stdin, an array.
    const records = papers.map((paper) => ({ ...paperRecord(paper), note: noteOf(paper) }));
    io.stdout.write(renderJson(refs.length === 1 && refs[0] !== '-' ? records[0] : records));
    return;
  }
  if (options.format === 'tsv') {
    io.stdout.write(renderTsv(papers.map((paper) => PAPER_FIELDS.map((field) => fieldText(paper, field)))));
    return;
  }
  const { renderPaper } = await import('../render/paper.js');
  const views: string[] = [];
  for (const paper of papers) views.push(await renderPaper(paper, await highlighted(paper, options.highlight), io, noteOf(paper)));
  io.stdout.write(views.join('\n'));
}

async function highlighted(paper: Paper, query: string | undefined): Promise<Record<Field, Span[]>> {
  if (query === undefined) return { title: [], abstract: [], author: [], note: [] };
  const [{ parseQuery }, { rankPapers }] = await Promise.all([import('../search/query.js'), import('../search/rank.js')]);
  const [hit] = rankPapers(memoryIndex([paper]), parseQuery(query));
  return hit ? hit.spans : { title: [], abstract: [], author: [], note: [] };
}
