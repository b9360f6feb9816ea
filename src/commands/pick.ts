import { openInBrowser } from '../browser.js';
import { loadCorpusView, type Context } from '../context.js';
import { pageToOpen } from '../corpus/links.js';
import { Cancelled } from '../errors.js';
import { loadPaint } from '../render/paint.js';
import { runPicker, type PickerActions } from '../picker.js';
import { openTerminal, wantsColor } from '../terminal.js';

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
  };
  const ids = await runPicker(terminal, index, { query: words.join(' '), paint, rank: { strict: options.strict ?? false }, actions });
  if (!ids) throw new Cancelled();
  context.io.stdout.write(ids.map((id) => `${id}\n`).join(''));
}
