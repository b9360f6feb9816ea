import { openInBrowser } from '../base/browser.js';
import { loadCorpusView, type Context } from '../app/context.js';
import { localDay } from '../corpus/dates.js';
import { pageToOpen } from '../corpus/links.js';
import { parseTags } from '../corpus/paper.js';
import { Cancelled } from '../base/errors.js';
import { editPapers, marked, retagged } from '../app/library.js';
import { loadPaint } from '../render/paint.js';
import { runPicker, type PickerActions } from '../app/picker.js';
import { openTerminal, wantsColor } from '../base/terminal.js';
import { plural } from '../base/text/english.js';

export interface PickOptions {
  strict?: boolean;
}

export async function pick(context: Context, words: string[], options: PickOptions): Promise<void> {
  // The corpus first: a corpus that cannot be read is said on stderr, before the screen is taken over.
  const index = (await loadCorpusView(context)).index();
  const terminal = openTerminal('pick');
  // Colour follows the terminal drawn on, not stdout, which is often a pipe here.
  const paint = await loadPaint(wantsColor(context.io.colorMode, true, context.io.env));
  const actions: PickerActions = {
    async open(paper) {
      const url = pageToOpen(paper, null);
      await openInBrowser(url, context.io.env);
      return `opened ${url}`;
    },
    async mark(ids, status) {
      const edit = await editPapers(context, ids, (paper) => marked(paper, status, localDay()));
      const already = edit.unchanged.length > 0 ? `, ${edit.unchanged.length} already ${status}` : '';
      return { message: `${plural(edit.changed.length, 'paper')} marked ${status}${already}`, changed: edit.changed };
    },
    async tag(ids, text) {
      const add = parseTags(text, 'tag');
      const edit = await editPapers(context, ids, (paper) => retagged(paper, add, []));
      const unchanged = edit.unchanged.length > 0 ? `, ${edit.unchanged.length} had it already` : '';
      return { message: `${plural(edit.changed.length, 'paper')} tagged ${add.join(' ')}${unchanged}`, changed: edit.changed };
    },
  };
  const ids = await runPicker(terminal, index, { query: words.join(' '), paint, rank: { strict: options.strict ?? false }, actions });
  if (!ids) throw new Cancelled();
  context.io.stdout.write(ids.map((id) => `${id}\n`).join(''));
}
