import { emitKeypressEvents } from 'node:readline';
import { cursorHide, cursorShow, cursorTo, enterAlternativeScreen, eraseEndLine, exitAlternativeScreen } from 'ansi-escapes';
import { openInBrowser } from './browser.js';
import { pageToOpen } from './corpus/links.js';
import type { Paper } from './corpus/paper.js';
import { PapersError } from './errors.js';
import type { Index } from './index/types.js';
import type { Paint } from './render/paint.js';
import { listRows, renderPicker, type PickerView } from './render/picker.js';
import { parseQuery } from './search/query.js';
import { rankPapers, type RankOptions } from './search/rank.js';
import type { Terminal } from './terminal.js';

// Papers ranked for the list: more than a screen holds, few enough to rank again on every key.
const PICK_LIMIT = 500;
// Signals that end the picker as Esc does, the terminal put back first.
const ENDING_SIGNALS = ['SIGTERM', 'SIGHUP'] as const;

interface Key {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  sequence?: string;
}

export interface PickOptions {
  query: string;
  paint: Paint;
  rank: RankOptions;
  env: NodeJS.ProcessEnv;
}

/** The papers of the query, best first; with no query, the corpus in its order. Throws on a malformed query. */
function ranked(index: Index, query: string, options: RankOptions): Paper[] {
  if (query.trim() === '') return Array.from({ length: Math.min(index.count, PICK_LIMIT) }, (_, doc) => index.paper(doc));
  return rankPapers(index, parseQuery(query), PICK_LIMIT, options).map((hit) => hit.paper);
}

/**
 * The full-screen picker on the terminal: the query re-ranks the list as it is typed. Resolves with the ids chosen
 * (those selected with Tab, in the order selected, else the current one), or null when the user leaves with Esc or
 * Ctrl-C (or the picker is ended by a signal). The terminal is left as it was found either way.
 */
export function runPicker(terminal: Terminal, index: Index, options: PickOptions): Promise<string[] | null> {
  const { input, output } = terminal;
  const view: PickerView = { query: options.query, papers: [], current: 0, top: 0, selected: new Set(), message: '' };
  const selected = view.selected as Set<string>;
  let pending: NodeJS.Immediate | null = null;
  let rankedQuery: string | null = null;

  const rerank = () => {
    if (rankedQuery === view.query) return;
    rankedQuery = view.query;
    try {
      view.papers = ranked(index, view.query, options.rank);
      view.message = view.papers.length === 0 ? 'no papers match' : '';
      view.current = 0;
      view.top = 0;
    } catch (error) {
      // A query half typed (an open quote): the list stays as it was, and the status line says why.
      if (!(error instanceof PapersError)) throw error;
      view.message = error.message;
    }
  };

  const size = () => ({ columns: output.columns || 80, rows: output.rows || 24 });
  // Node.js reads the size again on SIGWINCH only for its own stdout and stderr; this stream asks for itself,
  // through the same (long-standing, undocumented) method they use.
  const resized = () => {
    (output as unknown as { _refreshSize?: () => void })._refreshSize?.();
    redraw();
  };

  const draw = () => {
    pending = null;
    rerank();
    const { columns, rows } = size();
    const height = listRows(rows);
    view.current = Math.max(0, Math.min(view.current, view.papers.length - 1));
    if (view.current < view.top) view.top = view.current;
    if (view.current >= view.top + height) view.top = view.current - height + 1;
    const frame = renderPicker(view, columns, rows, options.paint);
    // One write a frame, the cursor hidden while it is drawn: no flicker, and nothing scrolls.
    output.write(`${cursorHide}${cursorTo(0, 0)}${frame.lines.map((line) => line + eraseEndLine).join('\r\n')}${cursorTo(frame.cursorColumn, 0)}${cursorShow}`);
  };
  let done = false;
  let fail: (error: unknown) => void = () => undefined;
  // Keys that come together (a paste, a held arrow) are drawn once; a page opened after the picker ended, never.
  const redraw = () => {
    if (done) return;
    pending ??= setImmediate(() => {
      try {
        draw();
      } catch (error) {
        fail(error);
      }
    });
  };

  const move = (by: number) => {
    view.current = Math.max(0, Math.min(view.current + by, view.papers.length - 1));
  };

  const open = (paper: Paper) => {
    let url: string;
    try {
      url = pageToOpen(paper, null);
    } catch (error) {
      view.message = error instanceof Error ? error.message : String(error);
      return;
    }
    view.message = `opening ${url}`;
    openInBrowser(url, options.env)
      .then(
        () => (view.message = `opened ${url}`),
        (error: unknown) => (view.message = error instanceof Error ? error.message : String(error)),
      )
      .finally(redraw);
  };

  return new Promise((resolve, reject) => {
    const finish = (result: string[] | null, error?: unknown) => {
      if (done) return;
      done = true;
      if (pending) clearImmediate(pending);
      input.off('keypress', onKey);
      process.off('SIGWINCH', resized);
      for (const signal of ENDING_SIGNALS) process.off(signal, onSignal);
      try {
        input.setRawMode(false);
        output.write(`${exitAlternativeScreen}${cursorShow}`);
      } finally {
        input.destroy();
        output.destroy();
      }
      if (error === undefined) resolve(result);
      else reject(error);
    };
    const onSignal = () => finish(null);
    fail = (error) => finish(null, error);

    function onKey(text: string | undefined, key: Key | undefined) {
      try {
        const name = key?.name;
        if ((key?.ctrl && name === 'c') || name === 'escape') return finish(null);
        if (name === 'return' || name === 'enter') {
          rerank();
          const current = view.papers[view.current];
          if (selected.size > 0) return finish([...selected]);
          if (current) return finish([current.id]);
          return;
        }
        if (name === 'up' || (key?.ctrl && name === 'p')) move(-1);
        else if (name === 'down' || (key?.ctrl && name === 'n')) move(1);
        else if (name === 'pageup') move(-listRows(size().rows));
        else if (name === 'pagedown') move(listRows(size().rows));
        else if (name === 'tab') {
          rerank();
          const current = view.papers[view.current];
          if (current && !selected.delete(current.id)) selected.add(current.id);
          move(key?.shift ? -1 : 1);
        } else if (key?.ctrl && name === 'o') {
          rerank();
          const current = view.papers[view.current];
          if (current) open(current);
        } else if (name === 'backspace') view.query = [...view.query].slice(0, -1).join('');
        else if (key?.ctrl && name === 'u') view.query = '';
        else if (key?.ctrl && name === 'w') view.query = view.query.replace(/\S*\s*$/, '');
        else if (text && !key?.ctrl && !key?.meta && !/[\p{Cc}]/u.test(text)) view.query += text;
        else return;
        redraw();
      } catch (error) {
        finish(null, error);
      }
    }

    try {
      emitKeypressEvents(input);
      input.setRawMode(true);
      output.write(enterAlternativeScreen);
      input.on('keypress', onKey);
      process.on('SIGWINCH', resized);
      for (const signal of ENDING_SIGNALS) process.once(signal, onSignal);
      input.resume();
      draw();
    } catch (error) {
      finish(null, error);
    }
  });
}
