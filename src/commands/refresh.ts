import { loadCorpusView, type Context } from '../context.js';
import type { Paper } from '../corpus/paper.js';
import { NotFoundError, UsageError } from '../errors.js';
import { fetchArxiv, httpSettings, type NetworkOptions } from '../fetching.js';
import { mergeIntoCorpus, previewMerge } from '../intake.js';
import { statusLine } from '../progress.js';
import { parseArxivRef } from '../sources/arxiv-id.js';
import { plural } from '../text/english.js';

export interface RefreshOptions extends NetworkOptions {
  dryRun?: boolean;
}

/** The papers named (by id, a unique start of one, or an arXiv reference), or every paper with an arXiv id. */
function chosen(papers: Paper[], names: string[]): Paper[] {
  if (names.length === 0) return papers.filter((paper) => paper.arxiv);
  return names.map((name) => {
    const exact = papers.find((paper) => paper.id === name);
    const arxiv = parseArxivRef(name)?.id;
    const starts = papers.filter((paper) => paper.id.startsWith(name));
    const paper = exact ?? (arxiv ? papers.find((p) => p.arxiv === arxiv) : undefined) ?? (starts.length === 1 ? starts[0] : undefined);
    if (!paper) {
      if (starts.length > 1) throw new UsageError(`\`${name}\` is the start of ${starts.length} ids: ${starts.map((p) => p.id).join(', ')}`);
      throw new NotFoundError(`no paper \`${name}\` in the corpus`);
    }
    if (!paper.arxiv) throw new UsageError(`${paper.id} has no arXiv id to refresh from`);
    return paper;
  });
}

/**
 * `papers refresh [<id>...]`: current arXiv metadata for papers with an arXiv id. Fields that arXiv now
 * knows and the paper lacks (a DOI, a journal reference, the day of a date known to the month) are filled; no
 * field that has a value otherwise changes.
 */
export async function refresh(context: Context, names: string[], options: RefreshOptions): Promise<void> {
  const { io } = context;
  const papers = chosen((await loadCorpusView(context)).papers(), names);
  if (papers.length === 0) {
    io.stderr.write(`${context.corpusPath}: no paper has an arXiv id; nothing to refresh\n`);
    return;
  }
  const wanted = new Set(papers.map((paper) => paper.arxiv!));
  const ids = [...wanted];
  const status = statusLine(io);
  const settings = httpSettings(context, options, (message) => status(`${message}…`));
  let enriched = 0;
  let unchanged = 0;
  const missing: string[] = [];
  status(`asking arXiv about ${plural(ids.length, 'paper')}…`);
  await fetchArxiv(context, ids, settings, !options.dryRun, async (answer, done) => {
    missing.push(...answer.missing);
    // Only papers already in the corpus are refreshed; arXiv's answer adds none.
    const known = answer.papers.filter((paper) => wanted.has(paper.arxiv!));
    const merge = options.dryRun ? await previewMerge(context, known) : await mergeIntoCorpus(context, known, { stem: 'refresh' });
    enriched += merge.enriched;
    unchanged += merge.present;
    status(done < ids.length ? `asked arXiv about ${done} of ${ids.length} papers…` : '');
  });
  status('');
  for (const id of missing) io.stderr.write(`papers: arXiv has no paper ${id} any more\n`);
  const what = `${enriched} enriched, ${unchanged} unchanged${missing.length ? `, ${missing.length} not found` : ''}`;
  io.stderr.write(options.dryRun ? `dry run, ${context.corpusPath} unchanged: would refresh ${what}\n` : `${context.corpusPath}: ${what}\n`);
}
