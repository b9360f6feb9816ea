// Citation.js's own LaTeX -> Unicode tables (what its BibTeX parser decodes with): accents as combining marks, and
// the symbol commands (\o, \ss, \ae, \l, \textendash, ...). A 3 KB JSON file, so it is bundled, and decoding stays
// synchronous for the stream readers; the rules that apply the tables are below.
import unicode from '@citation-js/plugin-bibtex/lib/input/unicode.json' with { type: 'json' };

// Maps, so that a command named like an Object property (\constructor) is no command.
const ACCENTS = new Map(Object.entries(unicode.diacritics));
// The table lacks \aa and \AA (Citation.js itself turns `Ny{\aa}rd` into `Ny\aard`); a null in it is an accent.
const SYMBOLS = new Map([
  ...Object.entries(unicode.commands).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  ['aa', 'å'],
  ['AA', 'Å'],
]);
// Commands that only format their argument, and declarations that format the rest of their group: the text stays.
const FORMATTING = new Set([
  'emph',
  'textit',
  'textbf',
  'textsc',
  'textsl',
  'textrm',
  'textsf',
  'texttt',
  'textup',
  'textmd',
  'textnormal',
  'textsuperscript',
  'textsubscript',
  'mbox',
  'hbox',
  'text',
  'underline',
  'enquote',
  'mkbibquote',
  'mkbibemph',
]);
const DECLARATIONS = new Set([
  'em',
  'it',
  'bf',
  'sc',
  'sl',
  'rm',
  'sf',
  'tt',
  'itshape',
  'bfseries',
  'scshape',
  'slshape',
  'upshape',
  'mdseries',
  'normalfont',
]);
const ESCAPED = new Set(['&', '%', '$', '#', '_', '{', '}']);
// Dotless i and j carry accents in TeX (\'{\i}); on their own they are the dotless letters.
const DOTTED = new Map([
  ['ı', 'i'],
  ['ȷ', 'j'],
]);

// URLs are kept as written (a ~ or -- in one is part of it), with TeX's escapes (\_ \% \&) resolved.
const URL = /https?:\/\/(?:[^\s{}\\]|\\[_%&#~$])+/y;
const URL_ESCAPE = /\\([_%&#~$])/g;
// Text with nothing to decode, up to the next character that may start something (an h only before ://).
const PLAIN = /(?:[^\\{}$~`'\-h]|h(?!ttps?:\/\/))+/y;
const MATH = /\$\$(?:[^$\\]|\\[\s\S])*\$\$|\$(?:[^$\\]|\\[\s\S])+\$/y;
const WORD = /[A-Za-z]+/y;
const SPACES = /\s*/y;
const TEX_LIKE = /[\\{}~]|--|``|''/;
// Commands that stand for their own name.
const LOGOS = new Set(['TeX', 'LaTeX', 'BibTeX']);
// Groups and accents nest by recursion; text nested deeper than this is no real TeX, and is kept as written.
const MAX_NESTING = 100;
const TOO_DEEP = new Error('TeX nested too deep');

interface State {
  text: string;
  at: number;
  depth: number;
}

/**
 * TeX accents and escapes as Unicode, for names and titles written by TeX users: `Bal\'azs`, `{\"o}`, `\c{c}`,
 * `\~n`, `{\o}`, `\ss`, `--`. Grouping braces go; math (`$...$`, `\(...\)`) and URLs stay as written, and so does
 * a command it does not know. Text without TeX comes back unchanged.
 */
export function decodeTex(text: string): string {
  if (!TEX_LIKE.test(text)) return text;
  try {
    return group({ text, at: 0, depth: 0 }, false).normalize('NFC');
  } catch (error) {
    if (error === TOO_DEEP) return text;
    throw error;
  }
}

function matchAt(pattern: RegExp, state: State): string | null {
  pattern.lastIndex = state.at;
  const match = pattern.exec(state.text);
  return match ? match[0] : null;
}

/** The text up to the brace that closes the group (or the end); stray closing braces are dropped. */
function group(state: State, inGroup: boolean): string {
  const { text } = state;
  if (inGroup) deeper(state);
  let out = '';
  while (state.at < text.length) {
    const plain = matchAt(PLAIN, state);
    if (plain) {
      out += plain;
      state.at += plain.length;
      continue;
    }
    const c = text[state.at]!;
    if (c === '}') {
      state.at++;
      if (inGroup) {
        state.depth--;
        return out;
      }
    } else if (c === '{') {
      state.at++;
      out += group(state, true);
    } else if (c === '\\') {
      out += command(state);
    } else if (c === 'h') {
      const url = matchAt(URL, state) ?? c;
      out += url.replace(URL_ESCAPE, '$1');
      state.at += url.length;
    } else if (c === '$') {
      const math = matchAt(MATH, state) ?? '$';
      out += math;
      state.at += math.length;
    } else {
      out += ligature(state);
    }
  }
  if (inGroup) state.depth--;
  return out;
}

function deeper(state: State): void {
  if (++state.depth > MAX_NESTING) throw TOO_DEEP;
}

/** `--`, `---`, two quotes, and a tie (`Fig.~1`); single quotes and a tilde standing alone (`~10%`) stay. */
function ligature(state: State): string {
  const { text, at } = state;
  const c = text[at]!;
  const double = text[at + 1] === c;
  if (c === '-') {
    const dashes = text.startsWith('---', at) ? 3 : double ? 2 : 1;
    state.at += dashes;
    return ['-', '–', '—'][dashes - 1]!;
  }
  if (c === '~') {
    state.at++;
    const tie = at > 0 && /\S/.test(text[at - 1]!) && /\S/.test(text[at + 1] ?? ' ');
    return tie ? ' ' : '~';
  }
  state.at += double ? 2 : 1;
  if (!double) return c;
  return c === '`' ? '“' : '”';
}

function command(state: State): string {
  const { text } = state;
  const next = text[state.at + 1];
  if (next === undefined) {
    state.at++;
    return '\\';
  }
  state.at++;
  const word = matchAt(WORD, state);
  if (word) return controlWord(state, word);
  state.at++;
  const mark = ACCENTS.get(next);
  if (mark !== undefined) return accent(state, mark, next);
  if (ESCAPED.has(next)) return next;
  if (next === '(' || next === '[') return verbatimMath(state, next === '(' ? '\\)' : '\\]');
  if (next === '\\' || next === ' ' || next === ',' || next === '\n') return ' ';
  if (next === '-' || next === '/') return '';
  return `\\${next}`;
}

function controlWord(state: State, word: string): string {
  const afterWord = state.at + word.length;
  state.at = afterWord;
  // TeX ignores the spaces after a control word: `Stra\ss e` is Straße.
  const spaces = matchAt(SPACES, state) ?? '';
  const mark = ACCENTS.get(word);
  if (mark !== undefined) {
    state.at += spaces.length;
    return accent(state, mark, '');
  }
  const symbol = SYMBOLS.get(word);
  if (symbol !== undefined) {
    state.at += spaces.length;
    return symbol;
  }
  if (DECLARATIONS.has(word)) {
    state.at += spaces.length;
    return '';
  }
  if (FORMATTING.has(word) || word === 'url' || word === 'href') {
    state.at += spaces.length;
    if (word === 'url') return verbatimGroup(state);
    if (word === 'href') {
      const url = verbatimGroup(state);
      const label = argument(state);
      return label === '' || label === url ? url : `${label} (${url})`;
    }
    return argument(state);
  }
  if (LOGOS.has(word)) {
    state.at += spaces.length;
    if (state.text.startsWith('{}', state.at)) state.at += 2;
    return word;
  }
  // Unknown (\cite{key}, \ref{fig}): left as written with its arguments, and the spaces after it too.
  let end = afterWord;
  while (state.text[end] === '{') end = closingBrace(state.text, end) + 1;
  state.at = end;
  return state.text.slice(afterWord - word.length - 1, end);
}

/** The index of the brace closing the one at `open`, or the last index when it is never closed. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return text.length - 1;
}

/** A command's argument: a group, a command, or one character. */
function argument(state: State): string {
  state.at += (matchAt(SPACES, state) ?? '').length;
  const c = state.text[state.at];
  if (c === undefined) return '';
  if (c === '{') {
    state.at++;
    return group(state, true);
  }
  if (c === '\\') return command(state);
  const char = String.fromCodePoint(state.text.codePointAt(state.at)!);
  state.at += char.length;
  return char;
}

function accent(state: State, mark: string, symbol: string): string {
  deeper(state);
  const base = argument(state);
  state.depth--;
  if (base === '') return symbol;
  const first = String.fromCodePoint(base.codePointAt(0)!);
  return (DOTTED.get(first) ?? first) + mark + base.slice(first.length);
}

function verbatimGroup(state: State): string {
  if (state.text[state.at] !== '{') return '';
  const end = closingBrace(state.text, state.at);
  const content = state.text.slice(state.at + 1, state.text[end] === '}' ? end : end + 1);
  state.at = end + 1;
  return content.replace(URL_ESCAPE, '$1');
}

function verbatimMath(state: State, close: string): string {
  const start = state.at - 2;
  const end = state.text.indexOf(close, state.at);
  state.at = end === -1 ? state.text.length : end + close.length;
  return state.text.slice(start, state.at);
}
