import { accessSync, constants, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheFileOf, findPaperByRef, readRefs, type Context } from './context.js';
import { targetOf, writeError } from '../corpus/files.js';
import { isFolderCorpus, lockTarget } from '../corpus/layout.js';
import { withLockWhile } from '../corpus/lock.js';
import type { Paper } from '../corpus/paper.js';
import type { Reading } from '../index/facets.js';
import { UsageError } from '../base/errors.js';
import { openCorpus, openSegments } from '../index/open.js';
import { writeSegment } from '../index/writer.js';

/** What an edit did: the papers it changed (as they are now), and those it named that were already so. */
export interface Edit {
  changed: Paper[];
  unchanged: Paper[];
}

/**
 * Changes the papers the references name (see findPaperByRef; `-` reads them from standard input) with
 * `change`, which returns the paper as it should be, or null to leave it. Under the corpus's lock, so that an
 * import running meanwhile is waited for and neither loses the other's work; every reference is resolved
 * before anything is written (one that names no paper changes nothing), and a corpus that could not be
 * written is refused before any file is. In a folder, only the files holding changed papers are rewritten.
 */
export async function editPapers(context: Context, refs: string[], change: (paper: Paper) => Paper | null): Promise<Edit> {
  const named = await readRefs(context, refs);
  if (named.length === 0) throw new UsageError('no paper named: give ids, arXiv ids, DOIs or URLs, or - to read them from standard input');
  const corpus = context.corpusPath;
  const folder = isFolderCorpus(corpus);
  // The folder the lock and every new file go in must take files; a read-only corpus is said before waiting for it.
  refuseUnwritable(folder ? corpus : dirname(targetOf(corpus)), folder ? corpus : targetOf(corpus));
  return withLockWhile(lockTarget(corpus), async () => {
    const view = await openCorpus(corpus, context.cache, context.io);
    const ids: string[] = [];
    for (const ref of named) {
      const { id } = await findPaperByRef(view, ref);
      if (!ids.includes(id)) ids.push(id);
    }
    const parts = folder ? await folderParts(context) : [fileParts(context, view.papers())];
    const edit: Edit = { changed: [], unchanged: [] };
    const rewrites: { part: Part; papers: Paper[] }[] = [];
    for (const part of parts) {
      const mine = ids.filter((id) => part.holds(id));
      if (mine.length === 0) continue;
      const papers = part.papers();
      let changed = false;
      const after = papers.map((paper) => {
        if (!mine.includes(paper.id)) return paper;
        const edited = change(paper);
        if (edited === null) {
          edit.unchanged.push(paper);
          return paper;
        }
        changed = true;
        edit.changed.push(edited);
        return edited;
      });
      // A paper the folder holds twice is changed in its first copy only, the one reading shows.
      ids.splice(0, ids.length, ...ids.filter((id) => !mine.includes(id)));
      if (changed) rewrites.push({ part, papers: after });
    }
    for (const { part } of rewrites) refuseUnwritable(dirname(part.path), part.path);
    for (const { part, papers } of rewrites) await writeSegment(part.path, papers, cacheFileOf(context, part.path));
    return edit;
  });
}

/** One file of the corpus: whether it holds a paper, and its papers. */
interface Part {
  path: string;
  holds(id: string): boolean;
  papers(): Paper[];
}

function fileParts(context: Context, papers: Paper[]): Part {
  return { path: context.corpusPath, holds: () => true, papers: () => papers };
}

async function folderParts(context: Context): Promise<Part[]> {
  const segments = await openSegments(context.corpusPath, context.cache, context.io);
  return segments.map((segment) => ({
    path: join(context.corpusPath, segment.name),
    holds: (id) => segment.view.withId(id, 1).found[0]?.id === id,
    papers: () => segment.view.papers(),
  }));
}

/** A folder that cannot take a new file, or a file that cannot be replaced: the error writing would give, now. */
function refuseUnwritable(folder: string, file: string): void {
  for (const [path, mode] of [
    [folder, constants.W_OK | constants.X_OK],
    [file, constants.W_OK],
  ] as const) {
    if (!statSync(path, { throwIfNoEntry: false })) continue;
    try {
      accessSync(path, mode);
    } catch (error) {
      throw writeError(error, path);
    }
  }
}

/** The paper with this reading status and `marked` on `day`, or null when it has the status already; `unread` takes both away. */
export function marked(paper: Paper, status: Reading, day: string): Paper | null {
  if ((paper.status ?? 'unread') === status) return null;
  const { status: _status, marked: _marked, ...rest } = paper;
  return status === 'unread' ? rest : { ...rest, status, marked: day };
}

/** The paper with the tags `add` after its own and those of `remove` gone, or null when that changes nothing. */
export function retagged(paper: Paper, add: string[], remove: string[]): Paper | null {
  const before = paper.tags ?? [];
  const after = [...before.filter((t) => !remove.includes(t)), ...add.filter((t) => !before.includes(t))];
  if (after.length === before.length && after.every((t, i) => t === before[i])) return null;
  const { tags: _tags, ...rest } = paper;
  return after.length === 0 ? rest : { ...rest, tags: after };
}
