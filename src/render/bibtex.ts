import { blankControls, stripControls } from '../base/text/controls.js';
import type { Notes } from '../corpus/notes.js';
import type { Paper } from '../corpus/paper.js';
import { dateParts } from '../corpus/dates.js';
import { citationKeys, entryType, paperUrl, splitSuffix, type KeyedPaper } from './citation.js';
import type { KeyStyle } from './formats.js';

// Characters with a meaning in (La)TeX, written so that they print as themselves.
const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  _: '\\_',
  '#': '\\#',
  $: '\\$',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};
// BibTeX counts every brace, \{ and \} too, and a field whose braces don't balance ends early or runs on into the next
// one. A matched pair stays \{...\}; a lone brace becomes a BibTeX "special character": balanced, one letter long to
// the style, untouched by change.case$, and printed by LaTeX as the same glyph as \{ or \}.
const LONE_BRACE: Record<string, string> = { '{': '{\\textbraceleft}', '}': '{\\textbraceright}' };
const SPECIAL = /[\\{}%&_#$~^]/g;

/** Offsets of the braces that close or are closed by another in the text. */
function pairedBraces(text: string): Set<number> {
  const open: number[] = [];
  const paired = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') open.push(i);
    else if (text[i] === '}' && open.length > 0) paired.add(open.pop()!).add(i);
  }
  return paired;
}

function latexEscape(text: string): string {
  const blanked = blankControls(text);
  const paired = pairedBraces(blanked);
  return blanked.replace(SPECIAL, (c, at: number) => (c in LONE_BRACE && !paired.has(at) ? LONE_BRACE[c]! : LATEX_SPECIAL[c]!));
}

// TeX math as arXiv titles and abstracts have it ($\beta$-VAE, $\Lambda_{\alpha}$, $$x^2$$), told from prices as Pandoc
// tells them: the opening $ is followed by a non-space, the closing one follows a non-space and is not followed by
// a digit ("$5 and $10" is no math).
const MATH = /\$\$(?=\S)(?:[^$\\]|\\[^])+?(?<=\S)\$\$|\$(?=[^\s$])(?:[^$\\]|\\[^])+?(?<=\S)\$(?!\d)/g;

/** Math that BibTeX and LaTeX take as it is: its braces balance, and it has no %, # or & that would end or break it. */
function passesAsMath(math: string): boolean {
  let depth = 0;
  for (let i = 0; i < math.length; i++) {
    const c = math[i]!;
    if (c === '\\') {
      if (/[%#&]/.test(math[i + 1] ?? '')) i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
    else if (c === '%' || c === '#' || c === '&') return false;
  }
  return depth === 0;
}

/** Text for a BibTeX field where TeX math is kept as math, to be typeset, and everything else escaped to print as written. */
function latexText(text: string): string {
  const blanked = blankControls(text);
  let out = '';
  let last = 0;
  for (const match of blanked.matchAll(MATH)) {
    if (!passesAsMath(match[0])) continue;
    out += latexEscape(blanked.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + latexEscape(blanked.slice(last));
}

/** URLs are read verbatim by BibTeX styles and Markdown links; braces and control characters would break the field. */
export function escapeUrl(url: string): string {
  return stripControls(url).replace(/\{/g, '%7B').replace(/\}/g, '%7D');
}

// Accents as TeX spells them, keyed by the combining mark that NFD gives: {\'E}mile, Nguy{\~{\^e}}n, {\v{S}}.
const ACCENTS: Record<string, string> = {
  '\u0300': '`',
  '\u0301': "'",
  '\u0302': '^',
  '\u0303': '~',
  '\u0304': '=',
  '\u0306': 'u',
  '\u0307': '.',
  '\u0308': '"',
  '\u030a': 'r',
  '\u030b': 'H',
  '\u030c': 'v',
  '\u0323': 'd',
  '\u0327': 'c',
  '\u0328': 'k',
};
const TEX_LETTERS: Record<string, string> = {
  ß: '\\ss',
  æ: '\\ae',
  Æ: '\\AE',
  ø: '\\o',
  Ø: '\\O',
  œ: '\\oe',
  Œ: '\\OE',
  ł: '\\l',
  Ł: '\\L',
  ı: '\\i',
};

/** A letter as a BibTeX "special character" ({\'E}: one letter, its case known), or undefined if TeX has none. */
function texLetter(char: string): string | undefined {
  if (char in TEX_LETTERS) return `{${TEX_LETTERS[char]}}`;
  const [base = '', ...marks] = char.normalize('NFD');
  if (!/^[A-Za-z]$/.test(base) || marks.length === 0 || !marks.every((m) => m in ACCENTS)) return undefined;
  let letter = base;
  for (const mark of marks) {
    const accent = ACCENTS[mark]!;
    letter = /[a-z]/i.test(accent) || letter.length > 1 ? `\\${accent}{${letter}}` : `\\${accent}${letter}`;
  }
  return `{${letter}}`;
}

/**
 * A name for BibTeX's author field. BibTeX splits names into first, von and last parts by the case of each word's
 * first letter, and abbreviates first names to their first byte: a raw "Émile" is a lower-case von part to it,
 * and "李" would lose two of its three bytes. So accented Latin letters become TeX accents, and a name with any
 * other non-ASCII letter is braced whole (printed as written, never split or abbreviated); so is one that has a
 * separate word "and" (which would split it in two) or commas BibTeX cannot read as "Last, First" or "Last, Jr, First".
 */
function bibtexName(name: string): string {
  let plain = true;
  const tex = latexEscape(suffixLast(name.trim().normalize('NFC'))).replace(/[^\x00-\x7f]/gu, (char) => {
    const letter = texLetter(char);
    if (letter === undefined) plain = false;
    return letter ?? char;
  });
  const parts = topLevelParts(tex);
  // BibTeX drops spaces, hyphens and ties at the ends of each part: a part of only those is empty to it.
  const readable = parts.length <= 3 && parts.every((part) => /[^\s~-]/.test(part));
  return plain && readable && !/(?:^|\s)and(?:\s|$)/i.test(tex) ? tex : `{${tex}}`;
}

/**
 * A name with a suffix in the form BibTeX reads as one, "von Last, Jr, First": as written, "Martin Luther King Jr." would
 * have the last name "Jr." and "King, Martin Luther, Jr." the first name "Jr.".
 */
function suffixLast(name: string): string {
  const [rest, suffix] = splitSuffix(name) ?? [];
  if (rest === undefined || suffix === undefined) return name;
  const parts = rest.split(',').map((part) => part.trim());
  if (parts.length === 2 && parts.every(Boolean)) return `${parts[0]}, ${suffix}, ${parts[1]}`;
  const words = rest.split(/\s+/);
  if (parts.length > 1 || words.length < 2) return name;
  // The last name starts at the first lower-case word after the first (a von part: van, de, von der), or is the last word.
  const von = words.findIndex((word, i) => i > 0 && /^\p{Ll}/u.test(word));
  const start = von > 0 ? von : words.length - 1;
  return `${words.slice(start).join(' ')}, ${suffix}, ${words.slice(0, start).join(' ')}`;
}

/** The text split at its commas outside braces, as BibTeX counts braces (a backslash does not hide one). */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return [...parts, text.slice(start)];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export interface BibtexOptions {
  /** The entry keys: the keys papers came with, else their ids (the default); the ids; or `cheng2024videollama`. */
  key?: KeyStyle;
  /** Every paper of the corpus, in its order, over which keys that clash are told apart (see citationKeys). */
  corpus?: readonly KeyedPaper[];
  /** The user's notes, written as each entry's `annote`. */
  notes?: Notes;
}

/**
 * One entry a paper, of the type it came as, else with the fields arXiv's own BibTeX gives (eprint, archivePrefix,
 * primaryClass): an @article once it has a journal reference or a journal's DOI, else @misc. The title is braced
 * whole so that styles keep its capitals (BERT, ImageNet) as written; TeX math in it stays math; names are as
 * given, accents in TeX; other text stays UTF-8.
 */
export function renderBibtex(papers: Paper[], options: BibtexOptions = {}): string {
  const keys = citationKeys(papers, options.key ?? 'original', options.corpus);
  return papers.map((paper, i) => bibtexEntry(paper, keys[i]!, options.notes?.get(paper.id))).join('\n');
}

function bibtexEntry(paper: Paper, key: string, note: string | undefined): string {
  // [name, value as written, braces included]; a month is a macro of the styles (jan, feb...), not text.
  const fields: [string, string][] = [];
  const text = (name: string, value: string | undefined) => {
    if (value?.trim()) fields.push([name, `{${latexText(value)}}`]);
  };
  if (paper.authors?.length) fields.push(['author', `{${paper.authors.map(bibtexName).join(' and ')}}`]);
  fields.push(['title', `{{${latexText(paper.title)}}}`]);
  text('journal', paper.journal);
  text('booktitle', paper.booktitle);
  text('volume', paper.volume);
  text('number', paper.number);
  text('pages', paper.pages);
  const [year, month] = dateParts(paper.published) ?? [];
  if (year !== undefined) fields.push(['year', `{${year}}`]);
  if (month !== undefined) fields.push(['month', MONTHS[month - 1]!]);
  text('publisher', paper.publisher);
  if (paper.arxiv !== undefined) {
    fields.push(['eprint', `{${escapeUrl(paper.arxiv)}}`], ['archivePrefix', '{arXiv}']);
    if (paper.categories?.[0]) fields.push(['primaryClass', `{${latexEscape(paper.categories[0])}}`]);
  }
  if (paper.doi !== undefined) fields.push(['doi', `{${escapeUrl(paper.doi)}}`]);
  const url = paperUrl(paper);
  if (url) fields.push(['url', `{${escapeUrl(url)}}`]);
  if (paper.keywords?.length) fields.push(['keywords', `{${latexEscape(paper.keywords.join(', '))}}`]);
  // The digest's date line, while the paper has no publication date of its own.
  if (paper.date && year === undefined) fields.push(['note', `{Papers digest of ${latexEscape(paper.date)}}`]);
  text('abstract', paper.abstract);
  text('annote', note?.trimEnd());
  const body = fields.map(([name, value]) => `  ${name} = ${value}`).join(',\n');
  return `@${entryType(paper)}{${key},\n${body}\n}\n`;
}
