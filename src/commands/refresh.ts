import { findPaperByRef, loadCorpusView, type Context } from '../context.js';
import type { Paper } from '../corpus/paper.js';
import { UsageError } from '../errors.js';
import { fetchArxiv, httpSettings, type NetworkOptions } from '../fetching.js';
import { mergeIntoCorpus, previewMerge } from '../intake.js';
import { statusLine } from '../progress.js';
import type { CorpusView } from '../index/types.js';
import { plural } from '../text/english.js';

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

/**
 * `papers refresh [<id>...]`: current arXiv metadata for papers with an arXiv id. Fields that arXiv now
 * knows and the paper lacks (a DOI, a journal reference) are filled; no field that has a value changes.
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
