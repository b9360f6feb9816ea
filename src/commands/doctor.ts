import { basename, join } from 'node:path';
import { cacheFileOf, writeRows, type Context } from '../app/context.js';
import { findDuplicates, resolveInPlace, type Duplicate, type Part } from '../corpus/duplicates.js';
import { isFolderCorpus, lockTarget, sweepCorpusFolder } from '../corpus/layout.js';
import { withLockWhile } from '../corpus/lock.js';
import type { Paper } from '../corpus/paper.js';
import { NotFoundError } from '../base/errors.js';
import { openSegments } from '../index/open.js';
import type { OutputFormat } from '../render/formats.js';
import { outputFormat } from '../render/rows.js';

export interface DoctorOptions {
  fix?: boolean;
  format?: OutputFormat;
}

/** One file of the corpus: its name, where it is, its papers (read when asked for), and how to write it again. */
interface CorpusPart extends Part {
  path: string;
  papers(): Paper[];
  write(papers: Paper[]): Promise<void>;
}

/**
 * Lists the papers the corpus holds twice (exit 1 when there are some); with --fix, rewrites the files that
 * hold them as reading shows them (see findDuplicates), under the corpus's lock, each file whole or not at all.
 */
export async function doctor(context: Context, options: DoctorOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const corpus = context.corpusPath;
  // Only a repair takes the lock: a report reads, as any command does.
  const examine = async () => {
    if (options.fix && isFolderCorpus(corpus)) sweepCorpusFolder(corpus);
    const files = await corpusParts(context);
    const duplicates = findDuplicates(files);
    const rewritten = options.fix && duplicates.length > 0 ? await repair(files, duplicates) : 0;
    return { files, duplicates, rewritten };
  };
  const { files, duplicates, rewritten } = options.fix ? await withLockWhile(lockTarget(corpus), examine) : await examine();
  const count = files.reduce((sum, file) => sum + file.keys.length, 0);
  if (duplicates.length === 0) {
    context.io.stderr.write(`${corpus}: no duplicates among ${count} papers in ${files.length} ${files.length === 1 ? 'file' : 'files'}\n`);
    return;
  }
  const rows = {
    columns: [
      { header: 'FILE', max: 48 },
      { header: 'ID', max: 34 },
      { header: 'SHARES', max: 6 },
      { header: 'WITH FILE', max: 48 },
      { header: 'WITH ID', max: 34 },
    ],
    rows: duplicates.map((d) => [d.file, { text: d.id, tone: 'id' as const }, d.kind, d.intoFile, { text: d.intoId, tone: 'id' as const }]),
    shrink: [
      { column: 'FILE', to: 24 },
      { column: 'WITH FILE', to: 24 },
    ],
  };
  await writeRows(context, format, rows, () => duplicates.map((d) => ({ file: d.file, id: d.id, shares: d.kind, with: { file: d.intoFile, id: d.intoId } })));
  const what = `${duplicates.length} ${duplicates.length === 1 ? 'paper' : 'papers'} held twice`;
  if (!options.fix) throw new NotFoundError(`${corpus}: ${what}; \`papers doctor --fix\` merges each into its first copy`);
  context.io.stderr.write(
    `${corpus}: ${what}, repaired (each merged into its first copy, or given a new id where another paper has its id); ${rewritten} ${rewritten === 1 ? 'file' : 'files'} rewritten\n`,
  );
}

/** The corpus as files: a folder's files in order, or the one corpus file. */
async function corpusParts(context: Context): Promise<CorpusPart[]> {
  const corpus = context.corpusPath;
  const { writeSegment } = await import('../index/writer.js');
  if (isFolderCorpus(corpus)) {
    const segments = await openSegments(corpus, context.cache, context.io);
    return segments.map((segment) => {
      const path = join(corpus, segment.name);
      return {
        file: segment.name,
        path,
        keys: segment.view.keys(),
        papers: () => segment.view.papers(),
        write: (papers) => writeSegment(path, papers, cacheFileOf(context, path)),
      };
    });
  }
  const { loadCorpus } = await import('../corpus/store.js');
  const papers = loadCorpus(corpus);
  return [
    { file: basename(corpus), path: corpus, keys: papers, papers: () => papers, write: (changed) => writeSegment(corpus, changed, cacheFileOf(context)) },
  ];
}

/** Rewrites the files whose papers change, in order; returns how many. */
async function repair(files: CorpusPart[], duplicates: Duplicate[]): Promise<number> {
  const papers = files.flatMap((file) => file.papers());
  const resolved = resolveInPlace(papers, duplicates);
  let base = 0;
  let rewritten = 0;
  for (const file of files) {
    const [before, after] = [papers.slice(base, base + file.keys.length), resolved.slice(base, base + file.keys.length)];
    base += file.keys.length;
    if (after.every((paper, i) => paper === before[i])) continue;
    await file.write(after.filter((paper): paper is Paper => paper !== null));
    rewritten++;
  }
  return rewritten;
}
