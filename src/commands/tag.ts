import { writeRows, loadCorpusView, type Context } from '../app/context.js';
import { parseTags } from '../corpus/paper.js';
import { NotFoundError, UsageError } from '../base/errors.js';
import { editPapers, retagged } from '../app/library.js';
import type { OutputFormat } from '../render/formats.js';
import { outputFormat } from '../render/rows.js';
import { plural } from '../base/text/english.js';

export interface TagOptions {
  add?: string;
  remove?: string;
}

/** `papers tag <ref>... --add a,b --remove c`: new tags go after the paper's own, in the order given. */
export async function tag(context: Context, refs: string[], options: TagOptions): Promise<void> {
  if (options.add === undefined && options.remove === undefined) throw new UsageError('say what to change: --add TAGS, --remove TAGS, or both');
  const add = options.add === undefined ? [] : parseTags(options.add, '--add');
  const remove = options.remove === undefined ? [] : parseTags(options.remove, '--remove');
  const both = add.find((t) => remove.includes(t));
  if (both !== undefined) throw new UsageError(`\`${both}\` is both added and removed: keep it in one of --add and --remove`);
  const edit = await editPapers(context, refs, (paper) => retagged(paper, add, remove));
  const what = [...add.map((t) => `+${t}`), ...remove.map((t) => `-${t}`)].join(' ');
  const unchanged = edit.unchanged.length > 0 ? `, ${edit.unchanged.length} unchanged` : '';
  context.io.stderr.write(`${context.corpusPath}: ${plural(edit.changed.length, 'paper')} retagged (${what})${unchanged}\n`);
}

/** `papers tags`: every tag with how many papers have it, most used first (then by name). */
export async function tags(context: Context, options: { format?: OutputFormat }): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const counts = new Map<string, number>();
  for (const summary of (await loadCorpusView(context)).summaries()) for (const t of summary.tags ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
  if (counts.size === 0) throw new NotFoundError('no paper has a tag yet; `papers tag ID --add NAME` gives one');
  const sorted = [...counts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0));
  const rows = {
    columns: [
      { header: 'TAG', flex: true },
      { header: 'PAPERS', max: 8, align: 'right' as const },
    ],
    rows: sorted.map(([name, count]) => [name, String(count)]),
  };
  await writeRows(context, format, rows, () => sorted.map(([name, count]) => ({ tag: name, count })));
}
