import type { PaperSummary } from '../corpus/view.js';
import { openCorpus, outputFormat, type Context } from '../context.js';
import { NotFoundError, UsageError } from '../errors.js';
import { highlight } from '../render/highlight.js';
import { paperRecord, renderJson } from '../render/papers.js';
import { renderTsv } from '../render/tsv.js';
import type { Span } from '../search/engine.js';
import { painter } from '../render/paint.js';
import { sanitize } from '../terminal.js';

export interface ShowOptions {
  format?: string;
  highlight?: string;
}

// Reading measure for abstracts: wider lines are hard to follow even on a wide terminal.
const MAX_TEXT_WIDTH = 100;

// A typo or two in an id scores under 0.25 in fuse.js; past that the "suggestions" look random.
const SUGGEST_THRESHOLD = 0.25;
// Only ids about as close as the closest: one clear match is better than three guesses.
const SUGGEST_MARGIN = 0.15;

/** The paper with this id, or the only one whose id starts with it. */
export async function findPaper(papers: PaperSummary[], wanted: string): Promise<PaperSummary> {
  const id = wanted.trim().toLowerCase();
  const exact = papers.find((p) => p.id === id);
  if (exact) return exact;
  const prefixed = id ? papers.filter((p) => p.id.startsWith(id)) : [];
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) {
    const shown = prefixed.slice(0, 5).map((p) => p.id).join(', ');
    throw new UsageError(`\`${wanted}\` is the start of ${prefixed.length} ids (${shown}${prefixed.length > 5 ? ', ...' : ''}); type more of it`);
  }
  const { default: Fuse } = await import('fuse.js');
  const found = new Fuse(papers.map((p) => p.id), { threshold: SUGGEST_THRESHOLD, ignoreLocation: true, includeScore: true }).search(id);
  const best = found[0]?.score ?? 0;
  const close = found.filter((r) => (r.score ?? 1) <= best + SUGGEST_MARGIN).slice(0, 3);
  const hint = close.length > 0 ? `; did you mean ${close.map((c) => c.item).join(', ')}?` : '';
  throw new NotFoundError(`no paper with id \`${wanted}\`${hint}`);
}

export async function show(context: Context, id: string, options: ShowOptions): Promise<void> {
  // Reading one paper is the same view on a terminal or in a pipe; tsv and json only when asked.
  const format = options.format === undefined ? 'table' : outputFormat(options.format, context.io);
  const corpus = await openCorpus(context);
  const paper = corpus.paper((await findPaper(corpus.summaries(), id)).doc);
  const { io } = context;
  if (format === 'json') {
    io.stdout.write(renderJson(paperRecord(paper)));
    return;
  }
  if (format === 'tsv') {
    io.stdout.write(renderTsv([[paper.id, paper.title, paper.date ?? '', paper.code ?? '', paper.links.join(' '), paper.abstract]]));
    return;
  }
  let spans: Record<'title' | 'abstract', Span[]> = { title: [], abstract: [] };
  if (options.highlight !== undefined) {
    const { buildIndex, searchIndex } = await import('../search/engine.js');
    const { parseQuery } = await import('../search/query.js');
    const [hit] = await searchIndex(buildIndex([paper]), parseQuery(options.highlight));
    if (hit) spans = hit.spans;
  }
  const paint = painter(io);
  const width = io.isTTY ? Math.min(io.columns, MAX_TEXT_WIDTH) : 0;
  const wrapAnsi = width > 0 ? (await import('wrap-ansi')).default : null;
  const wrap = (text: string) => (wrapAnsi ? wrapAnsi(text, width, { hard: true }) : text);
  const label = (name: string) => paint.dim(name.padEnd(7));
  const lines = [
    paint.bold(wrap(highlight(paper.title, spans.title, paint))),
    `${label('id')}${paint.cyan(paper.id)}`,
    `${label('date')}${sanitize(paper.date ?? '-')}`,
    `${label('source')}${sanitize(paper.source || '-')}`,
  ];
  if (paper.code) lines.push(`${label('code')}${sanitize(paper.code)}`);
  for (const link of paper.links.filter((l) => l !== paper.code)) lines.push(`${label('link')}${sanitize(link)}`);
  lines.push('', wrap(highlight(paper.abstract, spans.abstract, paint)));
  io.stdout.write(`${lines.join('\n')}\n`);
}
