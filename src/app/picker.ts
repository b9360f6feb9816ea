import type * as Ink from 'ink';
import type * as ReactModule from 'react';
import type { Paper } from '../corpus/paper.js';
import { PapersError, UsageError } from '../base/errors.js';
import type { Index } from '../index/types.js';
import type { Paint } from '../render/paint.js';
import { listRows, MIN_COLUMNS, PROMPT, renderPicker, TAG_PROMPT, shownQuery, type PickerView, type Ui } from '../render/picker.js';
import { parseQuery } from '../search/query.js';
import { rankPapers, type RankOptions } from '../search/rank.js';
import type { Terminal } from '../base/terminal.js';

// Papers ranked for the list: more than a screen holds, few enough to rank again on every key.
const PICK_LIMIT = 500;
// Signals that end the picker as Esc does, the terminal put back first.
const ENDING_SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
const ALTERNATE_SCREEN = '\x1b[?1049h';
const MAIN_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

/** A reading status the picker can set on the papers chosen. */
type PickStatus = 'queued' | 'read';

/** What an action on papers did: a line for the status bar, and the papers it changed, as they are now. */
interface Edited {
  message: string;
  changed: Paper[];
}

/**
 * What the picker's keys do to papers without leaving it. Each resolves with a line for the status bar, or rejects
 * with an error whose message is shown there. The keys are Ctrl-O (open), Alt-Q (queued), Alt-R (read) and Alt-T
 * (a tag typed on the status line), Alt because the query line takes every letter.
 */
export interface PickerActions {
  /** Opens the paper's page in the browser. */
  open(paper: Paper): Promise<string>;
  /** Sets the reading status of the papers with these ids. */
  mark?(ids: string[], status: PickStatus): Promise<Edited>;
  /** Adds a tag (or several, comma-separated) to the papers with these ids. */
  tag?(ids: string[], tag: string): Promise<Edited>;
}

export interface PickOptions {
  query: string;
  paint: Paint;
  rank: RankOptions;
  actions: PickerActions;
}

// Set by the build to a real import() in the bundle, which otherwise turns import() into require().
declare const PAPERS_IMPORT: ((specifier: string) => Promise<unknown>) | undefined;
const importModule = typeof PAPERS_IMPORT === 'function' ? PAPERS_IMPORT : (specifier: string) => import(specifier);

interface Loaded extends Ui {
  render: typeof Ink.render;
  useInput: typeof Ink.useInput;
  useStdout: typeof Ink.useStdout;
  useCursor: typeof Ink.useCursor;
}

/** React and Ink, loaded only when the picker starts: no other command pays for them. */
async function loadUi(): Promise<Loaded> {
  const env = process.env;
  // Ink decides once, as it loads, whether it runs on a CI machine, and there it draws only the last frame when
  // it ends; the picker draws on a terminal wherever it runs. React's development build only adds warnings.
  const saved = { CI: env.CI, CONTINUOUS_INTEGRATION: env.CONTINUOUS_INTEGRATION };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  env.NODE_ENV ??= 'production';
  try {
    const React = ((await importModule('react')) as { default: typeof ReactModule }).default;
    const ink = (await importModule('ink')) as typeof Ink;
    return {
      React,
      Box: ink.Box,
      Text: ink.Text,
      render: ink.render,
      useInput: ink.useInput,
      useStdout: ink.useStdout,
      useCursor: ink.useCursor,
    };
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) env[name] = value;
  }
}

/**
 * Ink's cursor library would show the cursor once more as the process exits, on process.stderr, whatever that is
 * (a log file gets an escape sequence). The picker has shown it on its own terminal already, and Ink has ended:
 * the exit hooks they set (signal-exit's, shared by every copy) are taken out.
 */
async function forgetExitHooks(): Promise<void> {
  const signalExit = (await importModule('signal-exit')) as { default: { unload(): void } };
  signalExit.default.unload();
}

/** The papers of the query, best first; with no query, the corpus in its order. Throws on a malformed query. */
function ranked(index: Index, query: string, options: RankOptions): Paper[] {
  if (query.trim() === '') return Array.from({ length: Math.min(index.count, PICK_LIMIT) }, (_, doc) => index.paper(doc));
  return rankPapers(index, parseQuery(query), PICK_LIMIT, options).map((hit) => hit.paper);
}

/**
 * What the picker holds between keys, changed by each key as it comes: keys read together (a paste, a held arrow,
 * keys typed faster than a frame) each act on what the one before left, not on the last frame drawn.
 */
class PickerState {
  readonly view: PickerView;
  private readonly selected = new Set<string>();
  // Papers changed by the keys, as they are now: the index the list is ranked on holds them as they were.
  private readonly edited = new Map<string, Paper>();

  constructor(
    private readonly index: Index,
    private readonly options: PickOptions,
  ) {
    this.view = { query: '', papers: [], current: 0, top: 0, selected: this.selected, message: '' };
    this.search(options.query);
  }

  /** A new query: ranked at once, the list back at its top. A query half typed (an open quote) keeps the list as it was. */
  search(query: string): void {
    this.view.query = query;
    try {
      this.view.papers = ranked(this.index, query, this.options.rank).map((paper) => this.edited.get(paper.id) ?? paper);
      this.view.message = this.view.papers.length === 0 ? 'no papers match' : '';
      this.view.current = 0;
    } catch (error) {
      if (!(error instanceof PapersError)) throw error;
      this.view.message = error.message;
    }
  }

  get paper(): Paper | undefined {
    return this.view.papers[this.view.current];
  }

  /** The ids Enter prints and the actions act on: those selected, in the order selected, else the current one. */
  chosen(): string[] {
    return this.selected.size > 0 ? [...this.selected] : this.paper ? [this.paper.id] : [];
  }

  /** Papers changed by an action, shown as they are now in the list and the preview. */
  update(changed: Paper[]): void {
    for (const paper of changed) this.edited.set(paper.id, paper);
    this.view.papers = this.view.papers.map((paper) => this.edited.get(paper.id) ?? paper);
  }

  move(by: number): void {
    this.view.current = Math.max(0, Math.min(this.view.current + by, this.view.papers.length - 1));
  }

  toggle(): void {
    if (this.paper && !this.selected.delete(this.paper.id)) this.selected.add(this.paper.id);
  }

  /** The list scrolled to keep the current paper in view, on a list `height` rows high. */
  scroll(height: number): void {
    const view = this.view;
    if (view.current < view.top) view.top = view.current;
    if (view.current >= view.top + height) view.top = view.current - height + 1;
    view.top = Math.max(0, Math.min(view.top, view.papers.length - height));
  }
}

/** The picker's screen and keys, as a component of the Ink app. `done` ends it with the ids chosen or null. */
function pickerApp(ui: Loaded, index: Index, options: PickOptions, done: (ids: string[] | null, error?: unknown) => void) {
  const { React, useInput, useStdout, useCursor } = ui;
  const state = new PickerState(index, options);
  const sizeOf = (stdout: NodeJS.WriteStream) => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });

  return function Picker() {
    const { stdout } = useStdout();
    const [size, setSize] = React.useState(() => sizeOf(stdout));
    const [, redraw] = React.useReducer((frame: number) => frame + 1, 0);
    const { setCursorPosition } = useCursor();

    React.useEffect(() => {
      const resized = () => setSize(sizeOf(stdout));
      stdout.on('resize', resized);
      return () => void stdout.off('resize', resized);
    }, [stdout]);

    const say = (message: string) => {
      state.view.message = message;
      redraw();
    };
    const failed = (error: unknown) => say(error instanceof Error ? error.message : String(error));
    const act = (action: Promise<string>) => action.then(say, failed);
    const edit = (action: Promise<Edited>) =>
      action.then((edited) => {
        state.update(edited.changed);
        say(edited.message);
      }, failed);
    /** Runs an action on the papers chosen; one that throws at once is said as one that rejects. */
    const onChosen = (run: (ids: string[]) => Promise<Edited>) => {
      const ids = state.chosen();
      if (ids.length === 0) return;
      state.view.message = 'saving…';
      void edit(Promise.resolve().then(() => run(ids)));
    };
    const { mark, tag } = options.actions;

    useInput((input, key) => {
      try {
        const height = listRows(sizeOf(stdout).rows);
        const query = state.view.query;
        if (key.ctrl && input === 'c') return done(null);
        const prompt = state.view.prompt;
        if (prompt !== undefined) {
          // The tag prompt takes the keys until Enter applies it or Esc puts it away.
          if (key.escape) state.view.prompt = undefined;
          else if (key.return) {
            state.view.prompt = undefined;
            if (tag) onChosen((ids) => tag(ids, prompt));
          } else if (key.backspace || key.delete || /^[\x7f\b]+$/.test(input)) {
            state.view.prompt = [...prompt].slice(0, /^[\x7f\b]+$/.test(input) ? -input.length : -1).join('');
          } else if (key.ctrl && input === 'u') state.view.prompt = '';
          else if (!key.ctrl && !key.meta) state.view.prompt = prompt + input.replace(/\p{Cc}/gu, '');
          else return;
          redraw();
          return;
        }
        // A lone Esc leaves; Esc read with a letter after it is that letter with Alt, which Ink gives as meta.
        if (key.escape) return done(null);
        if (key.return) {
          if (state.chosen().length > 0) done(state.chosen());
          return;
        }
        if (key.upArrow || (key.ctrl && input === 'p')) state.move(-1);
        else if (key.downArrow || (key.ctrl && input === 'n')) state.move(1);
        else if (key.pageUp) state.move(-height);
        else if (key.pageDown) state.move(height);
        else if (key.tab) {
          state.toggle();
          state.move(key.shift ? -1 : 1);
        } else if (key.ctrl && input === 'o') {
          if (!state.paper) return;
          state.view.message = 'opening…';
          void act(options.actions.open(state.paper));
        } else if (key.meta && mark && /^[qr]$/i.test(input)) onChosen((ids) => mark(ids, input.toLowerCase() === 'q' ? 'queued' : 'read'));
        else if (key.meta && tag && /^t$/i.test(input)) {
          if (state.paper) state.view.prompt = '';
        } else if (key.backspace || key.delete || /^[\x7f\b]+$/.test(input)) {
          // Backspaces read together (a held key) come as one input: each takes a character.
          state.search([...query].slice(0, /^[\x7f\b]+$/.test(input) ? -input.length : -1).join(''));
        } else if (key.ctrl && input === 'u') state.search('');
        else if (key.ctrl && input === 'w') state.search(query.replace(/\S*\s*$/, ''));
        else if (!key.ctrl && !key.meta && input.replace(/\p{Cc}/gu, '') !== '') state.search(query + input.replace(/\p{Cc}/gu, ''));
        else return;
        redraw();
      } catch (error) {
        done(null, error);
      }
    });

    state.scroll(listRows(size.rows));
    const typing = state.view.prompt;
    const x = typing === undefined ? PROMPT.length + [...shownQuery(state.view.query, size.columns)].length : TAG_PROMPT.length + [...typing].length;
    setCursorPosition(size.columns >= MIN_COLUMNS ? { x: Math.min(size.columns - 1, x), y: typing === undefined ? 0 : 1 } : undefined);
    return renderPicker(ui, { ...state.view }, size.columns, size.rows, options.paint);
  };
}

/**
 * The full-screen picker on the terminal: the query re-ranks the list as it is typed. Resolves with the ids chosen
 * (those selected with Tab, in the order selected, else the current one), or null when the user leaves with Esc or
 * Ctrl-C (or the picker is ended by a signal). The terminal is left as it was found either way.
 */
export async function runPicker(terminal: Terminal, index: Index, options: PickOptions): Promise<string[] | null> {
  const { input, output } = terminal;
  let app: Ink.Instance | undefined;
  let drawn = false;
  let result: string[] | null = null;
  let failure: unknown;
  let done: (ids: string[] | null, error?: unknown) => void = () => undefined;
  const ended = new Promise<void>((resolve) => {
    // The first end counts: a signal or an error after Enter changes nothing.
    done = (ids, error) => {
      done = () => undefined;
      result = ids;
      failure = error;
      resolve();
    };
  });
  // Node.js reads the size again on SIGWINCH only for its own stdout and stderr; this stream asks for itself,
  // through the same (long-standing, undocumented) method they use, which tells Ink by a 'resize' event.
  const resized = () => (output as unknown as { _refreshSize?: () => void })._refreshSize?.();
  const end = (ids: string[] | null, error?: unknown) => done(ids, error);
  const ending = () => end(null);
  try {
    // A terminal that does not know its size (0 columns) is taken to be 80 wide, as elsewhere.
    if (output.columns > 0 && output.columns < MIN_COLUMNS) {
      throw new UsageError(`pick needs a terminal at least ${MIN_COLUMNS} columns wide (this one has ${output.columns})`);
    }
    const ui = await loadUi();
    process.on('SIGWINCH', resized);
    for (const signal of ENDING_SIGNALS) process.on(signal, ending);
    drawn = true;
    // Raw before the first frame: a key typed as soon as the list shows is read as a key, not echoed or held.
    input.setRawMode(true);
    output.write(ALTERNATE_SCREEN);
    app = ui.render(ui.React.createElement(pickerApp(ui, index, options, end)), {
      stdin: input,
      stdout: output,
      stderr: output,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    // An error while drawing ends the app, and so the picker.
    app.waitUntilExit().catch((error: unknown) => end(null, error));
    await ended;
    if (failure !== undefined) throw failure;
    return result;
  } finally {
    process.off('SIGWINCH', resized);
    for (const signal of ENDING_SIGNALS) process.off(signal, ending);
    try {
      if (drawn) {
        app?.unmount();
        input.setRawMode(false);
        output.write(`${MAIN_SCREEN}${SHOW_CURSOR}`);
        await forgetExitHooks();
      }
    } finally {
      input.destroy();
      output.destroy();
    }
  }
}
