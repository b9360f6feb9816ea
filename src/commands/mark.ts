import type { Context } from '../app/context.js';
import { localDay } from '../corpus/dates.js';
import { UsageError } from '../base/errors.js';
import { editPapers, marked } from '../app/library.js';
import { parseReading, READINGS } from '../search/query.js';
import { plural } from '../base/text/english.js';

/**
 * `papers mark <ref>... <status>`: sets the papers' reading status, and `marked` to today (the local day);
 * `unread` takes both away. A paper that already has the status keeps it and its day, so that marking the
 * queue again does not send a paper to its end.
 */
export async function mark(context: Context, args: string[]): Promise<void> {
  const refs = args.slice(0, -1);
  const last = args[args.length - 1]!;
  if (refs.length === 0) {
    // One word: the papers without a status (`papers mark hopfield`, `papers mark -`), or a status without papers.
    const isStatus = (READINGS as readonly string[]).includes(last.toLowerCase());
    throw new UsageError(
      isStatus ? `name the papers, then the status: papers mark ID... ${last}` : `the status goes last: papers mark ${last} ${READINGS.join('|')}`,
    );
  }
  const status = parseReading(last, last);
  const edit = await editPapers(context, refs, (paper) => marked(paper, status, localDay()));
  const already = edit.unchanged.length > 0 ? `, ${edit.unchanged.length} already ${status}` : '';
  context.io.stderr.write(`${context.corpusPath}: ${plural(edit.changed.length, 'paper')} marked ${status}${already}\n`);
}
