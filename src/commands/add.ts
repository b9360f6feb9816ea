import { readRefs, type Context } from '../app/context.js';
import type { NewPaper } from '../corpus/paper.js';
import { NotFoundError, UsageError } from '../base/errors.js';
import { fetchArxiv, httpSettings, type NetworkOptions } from '../app/fetching.js';
import { mergeIntoCorpus, previewMerge, summarize, Tally } from '../app/intake.js';
import { withStatusLine } from '../base/progress.js';
import { parseArxivRef } from '../sources/arxiv-id.js';
import { plural } from '../base/text/english.js';

export interface AddOptions extends NetworkOptions {
  dryRun?: boolean;
}

const FORMS =
  'an arXiv id (2410.17243, arXiv:2410.17243v2, hep-th/9901001), an arxiv.org or huggingface.co/papers URL, or an arXiv DOI (10.48550/arXiv.2410.17243)';

/** Every reference read as an arXiv id before any request is made: one that is not is an error, exit 2. */
export async function arxivIdsOf(context: Context, refs: string[]): Promise<string[]> {
  const ids: string[] = [];
  const bad: string[] = [];
  for (const ref of await readRefs(context, refs)) {
    const parsed = parseArxivRef(ref);
    if (parsed) ids.push(parsed.id);
    else bad.push(ref);
  }
  if (bad.length > 0) throw new UsageError(`not an arXiv reference: \`${bad[0]}\`${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}; give ${FORMS}`);
  return [...new Set(ids)];
}

/** `papers add <ref>...`: papers by arXiv id, URL or DOI, with their metadata from the arXiv API. */
export async function add(context: Context, refs: string[], options: AddOptions): Promise<void> {
  const { io } = context;
  const ids = await arxivIdsOf(context, refs);
  if (ids.length === 0) throw new UsageError(`no reference given; give ${FORMS}, or - to read them from standard input`);
  const found: NewPaper[] = [];
  const tally = new Tally();
  const notices = options.dryRun ? undefined : (await import('../app/watch.js')).watchNotices(context);
  const missing: string[] = [];
  await withStatusLine(io, async (status) => {
    const settings = httpSettings(context, options, (message) => status(`${message}…`));
    status(`asking arXiv for ${plural(ids.length, 'paper')}…`);
    await fetchArxiv(context, ids, settings, !options.dryRun, async (answer, done) => {
      found.push(...answer.papers);
      missing.push(...answer.missing);
      if (!options.dryRun && answer.papers.length > 0) {
        tally.add(await mergeIntoCorpus(context, answer.papers, { stem: 'arxiv', onMerged: notices?.take }));
      }
      status(done < ids.length ? `asked arXiv for ${done} of ${ids.length} papers…` : '');
    });
  });
  for (const id of missing) io.stderr.write(`papers: arXiv has no paper ${id}\n`);
  if (options.dryRun) {
    const merge = await previewMerge(context, found);
    io.stderr.write(`dry run, ${context.corpusPath} unchanged: would import ${summarize(merge)}\n`);
  } else if (found.length > 0) {
    io.stderr.write(`${context.corpusPath}: ${summarize(tally)}\n`);
    notices?.report();
  }
  if (found.length === 0)
    throw new NotFoundError(ids.length === 1 ? `nothing added: arXiv has no paper ${ids[0]}` : 'nothing added: arXiv has none of these papers');
}
