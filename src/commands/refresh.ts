import { findPaperByRef, loadCorpusView, type Context } from '../app/context.js';
import { codeLink } from '../corpus/links.js';
import type { NewPaper, Paper } from '../corpus/paper.js';
import { UsageError } from '../base/errors.js';
import { fetchArxiv, fetchHubPaper, httpSettings, type NetworkOptions } from '../app/fetching.js';
import { mergeIntoCorpus, previewMerge } from '../app/intake.js';
import { sayAside, withStatusLine } from '../base/progress.js';
import type { CorpusView } from '../index/types.js';
import { plural } from '../base/text/english.js';

export interface RefreshOptions extends NetworkOptions {
  dryRun?: boolean;
}

/** The papers named (in any form `findPaperByRef` reads), or every paper with an arXiv id. */
async function chosen(corpus: CorpusView, names: string[]): Promise<Paper[]> {
  if (names.length === 0) return corpus.papers().filter((paper) => paper.arxiv);
  const papers: Paper[] = [];
  for (const name of names) {
    const paper = corpus.paper((await findPaperByRef(corpus, name)).doc);
    if (!paper.arxiv) throw new UsageError(`${paper.id} has no arXiv id to refresh from`);
    papers.push(paper);
  }
  return papers;
}

/** arXiv's record with what the Hub knows now of the paper: its upvotes, its day on the daily list, and the repository it names. */
function withHub(record: NewPaper, hub: NewPaper | undefined): NewPaper {
  if (!hub) return record;
  const joined: NewPaper = { ...record };
  if (hub.upvotes !== undefined) joined.upvotes = hub.upvotes;
  if (hub.daily !== undefined) joined.daily = hub.daily;
  if (hub.project !== undefined) joined.project ??= hub.project;
  if (hub.code !== null && hub.code !== codeLink(hub.links)) joined.code = hub.code;
  return joined;
}

/**
 * `papers refresh [<id>...]`: current arXiv metadata for papers with an arXiv id, and the Hub's live values
 * for those that came from it (they have upvotes or a daily day). Fields that arXiv now knows and the paper
 * lacks (a DOI, a journal reference, the day of a date known to the month) are filled; of the fields that
 * have a value, only what a source keeps up to date is renewed (see the merge's rules).
 */
export async function refresh(context: Context, names: string[], options: RefreshOptions): Promise<void> {
  const { io } = context;
  const papers = await chosen(await loadCorpusView(context), names);
  if (papers.length === 0) {
    io.stderr.write(`${context.corpusPath}: no paper has an arXiv id; nothing to refresh\n`);
    return;
  }
  const wanted = new Set(papers.map((paper) => paper.arxiv!));
  const ids = [...wanted];
  let enriched = 0;
  let unchanged = 0;
  const missing: string[] = [];
  await withStatusLine(io, async (status) => {
    const settings = httpSettings(context, options, (message) => status(`${message}…`));
    const hub = new Map<string, NewPaper>();
    const onHub = papers.filter((paper) => paper.upvotes !== undefined || paper.daily !== undefined);
    for (const [at, paper] of onHub.entries()) {
      status(`asking the Hub about ${at + 1} of ${plural(onHub.length, 'paper')}…`);
      const found = await fetchHubPaper(context, paper.arxiv!, settings);
      if (found) hub.set(paper.arxiv!, found.paper);
      for (const line of found?.dropped ?? []) sayAside(io, `papers: ${line}`);
    }
    status(`asking arXiv about ${plural(ids.length, 'paper')}…`);
    await fetchArxiv(context, ids, settings, !options.dryRun, async (answer, done) => {
      missing.push(...answer.missing);
      // Only papers already in the corpus are refreshed; arXiv's answer adds none.
      const known = answer.papers.filter((paper) => wanted.has(paper.arxiv!)).map((paper) => withHub(paper, hub.get(paper.arxiv!)));
      const merge = options.dryRun ? await previewMerge(context, known) : await mergeIntoCorpus(context, known, { stem: 'refresh' });
      enriched += merge.enriched;
      unchanged += merge.present;
      status(done < ids.length ? `asked arXiv about ${done} of ${ids.length} papers…` : '');
    });
  });
  for (const id of missing) io.stderr.write(`papers: arXiv has no paper ${id} any more\n`);
  const what = `${enriched} enriched, ${unchanged} unchanged${missing.length ? `, ${missing.length} not found` : ''}`;
  io.stderr.write(options.dryRun ? `dry run, ${context.corpusPath} unchanged: would refresh ${what}\n` : `${context.corpusPath}: ${what}\n`);
}
