import { loadCorpusView, writeRows, type Context } from '../app/context.js';
import { NotFoundError, UsageError } from '../base/errors.js';
import type { OutputFormat } from '../render/formats.js';
import { outputFormat } from '../render/rows.js';
import { editDistance } from '../search/distance.js';
import { parseQuery } from '../search/query.js';
import { rankPapers } from '../search/rank.js';
import { plural } from '../base/text/english.js';
import { watchFile } from '../corpus/layout.js';
import { checkName, loadWatches, today, updateWatches, type Watch } from '../app/watch.js';

// Names this many edits away or fewer are suggested for a name that is not saved.
const SUGGEST_EDITS = 2;

/**
 * `papers watch add <name> <query...>`: the query is checked as `search` reads it, and the papers that match
 * it now are recorded as seen, so that `papers news` shows the ones that arrive from now on.
 */
export async function watchAdd(context: Context, name: string, words: string[], options: { force?: boolean }): Promise<void> {
  checkName(name);
  // Words after the name are the query; an --option among them is a mistake, not a word to leave out.
  const option = words.find((word) => word.startsWith('--'));
  if (option) throw new UsageError(`unknown option '${option}' (see papers watch add --help)`);
  const query = words.join(' ').trim();
  const parsed = parseQuery(query);
  const corpus = await loadCorpusView(context);
  const matching = rankPapers(corpus.index(), parsed).map((hit) => hit.paper.id);
  const replaced = updateWatches(context.corpusPath, (watches) => {
    const at = watches.findIndex((w) => w.name === name);
    if (at >= 0 && !options.force) {
      throw new UsageError(`a search named \`${name}\` is saved already (\`${watches[at]!.query}\`); use --force to replace it, or another name`);
    }
    const watch: Watch = { name, query, added: today(), seen: matching };
    return { watches: at >= 0 ? watches.map((w, i) => (i === at ? watch : w)) : [...watches, watch], result: at >= 0 };
  });
  context.io.stderr.write(
    `${replaced ? 'replaced' : 'saved'} \`${name}\`: ${plural(matching.length, 'paper')} ${matching.length === 1 ? 'matches' : 'match'} now; papers news will show the ones that arrive from now on\n`,
  );
}

/** `papers watch list`: the saved searches, in the order saved. */
export async function watchList(context: Context, options: { format?: OutputFormat }): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const watches = loadWatches(watchFile(context.corpusPath));
  if (watches.length === 0) throw new NotFoundError('no saved searches; save one with `papers watch add NAME QUERY`');
  const rows = {
    columns: [
      { header: 'NAME', max: 40 },
      { header: 'QUERY', flex: true },
      { header: 'LAST SHOWN', max: 12 },
    ],
    rows: watches.map((w) => [{ text: w.name, tone: 'id' as const }, w.query, { text: w.shown ?? (format === 'table' ? 'never' : ''), tone: 'dim' as const }]),
    shrink: [{ column: 'LAST SHOWN', drop: true as const }],
  };
  await writeRows(context, format, rows, () =>
    watches.map((w) => ({ name: w.name, query: w.query, added: w.added ?? null, shown: w.shown ?? null, seen: w.seen })),
  );
}

/** `papers watch rm <name>`: an unknown name is exit 1, with the saved names closest to it. */
export async function watchRemove(context: Context, name: string): Promise<void> {
  const removed = updateWatches(context.corpusPath, (watches) => {
    const found = watches.find((w) => w.name === name);
    if (!found) throw new NotFoundError(`no saved search named \`${name}\`${suggestion(name, watches)}`);
    return { watches: watches.filter((w) => w !== found), result: found };
  });
  context.io.stderr.write(`removed \`${removed.name}\` (${removed.query})\n`);
}

function suggestion(name: string, watches: Watch[]): string {
  if (watches.length === 0) return ' (there are no saved searches)';
  const close = watches
    .map((w) => ({ name: w.name, edits: w.name.startsWith(name) ? 0 : editDistance(name, w.name, SUGGEST_EDITS) }))
    .filter((w) => w.edits <= SUGGEST_EDITS)
    .sort((a, b) => a.edits - b.edits)
    .slice(0, 3);
  if (close.length > 0) return `; did you mean ${close.map((w) => w.name).join(', ')}?`;
  return `; saved: ${watches.map((w) => w.name).join(', ')}`;
}
