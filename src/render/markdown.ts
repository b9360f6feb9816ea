import type { Notes } from '../corpus/notes.js';
import type { Paper } from '../corpus/paper.js';
import { blankControls, stripControls } from '../base/text/controls.js';
import { escapeUrl } from './bibtex.js';
import { arxivUrl } from './citation.js';

const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|~]/g;
export const markdownEscape = (text: string) => blankControls(text).replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
// A hand-edited corpus can hold javascript:, data: or vbscript: URLs, which a viewer would run when clicked: only web
// URLs become links.
const WEB_URL = /^https?:\/\//i;
// The first sentence: up to a full stop, question or exclamation mark followed by a capital.
const SENTENCE_END = /[.!?](?=\s+[\p{Lu}\d])/u;
const MAX_SENTENCE = 300;
// Names shown before "et al.".
const MAX_AUTHORS = 3;

function firstSentence(abstract: string): string {
  const flat = abstract.replace(/\s+/g, ' ').trim();
  const end = SENTENCE_END.exec(flat);
  const sentence = end ? flat.slice(0, end.index + 1) : flat;
  return sentence.length > MAX_SENTENCE ? `${sentence.slice(0, MAX_SENTENCE - 1).trimEnd()}…` : sentence;
}

/** Text shown as itself: nothing in a code span is a link, emphasis or HTML. */
export function codeSpan(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function linkOrText(label: string, url: string): string {
  const target = escapeUrl(url).trim();
  // In a <...> destination a backslash escapes and > ends it: escaped, they can't close this link and open another.
  if (WEB_URL.test(target)) return `[${label}](<${target.replace(/[\\<>]/g, '\\$&')}>)`;
  return `${label}: ${codeSpan(stripControls(url).trim())}`;
}

/** "A, B, C et al.": the first three names, and "et al." for the others. */
function authorList(authors: string[]): string {
  const shown = authors.slice(0, MAX_AUTHORS).join(', ');
  return authors.length > MAX_AUTHORS ? `${shown} et al.` : shown;
}

/** A note under its item: the user's own Markdown, as written, indented into the list item. */
function noteBlock(note: string): string {
  const lines = note.replace(/\s+$/, '').split(/\r?\n/).map(blankControls);
  return `\n\n${lines.map((line) => (line.trim() ? `  ${line}` : '')).join('\n')}\n`;
}

/** A reading list to paste into notes or a README, each paper with the user's note on it under it. */
export function renderMarkdown(papers: Paper[], notes?: Notes): string {
  return `# Reading list\n\n${readingListItems(papers, notes).join('\n')}\n`;
}

/** One Markdown list item a paper: its title, id and date, authors, first sentence and links, and its note if given. */
export function readingListItems(papers: Paper[], notes?: Notes): string[] {
  return papers.map((paper) => {
    const arxiv = paper.arxiv === undefined ? null : arxivUrl(paper.arxiv);
    const urls = [
      ...(arxiv ? [{ label: 'arXiv', url: arxiv }] : []),
      ...(paper.code ? [{ label: 'code', url: paper.code }] : []),
      ...paper.links.filter((l) => l !== paper.code && l !== arxiv).map((url) => ({ label: 'link', url })),
    ];
    const links = urls.filter(({ url }) => stripControls(url).trim() !== '').map(({ label, url }) => linkOrText(label, url));
    // The digest's date as written, else the day of first publication.
    const date = paper.date ?? paper.published;
    const lines = [`**${markdownEscape(paper.title)}** (\`${paper.id}\`)${date ? `, ${markdownEscape(date)}` : ''}`];
    if (paper.authors?.length) lines.push(markdownEscape(authorList(paper.authors)));
    lines.push(markdownEscape(firstSentence(paper.abstract)));
    if (links.length > 0) lines.push(links.join(' · '));
    // A backslash at the end of a line is a hard line break: without it the lines of an item run on as one paragraph.
    const note = notes?.get(paper.id);
    return `- ${lines.filter(Boolean).join('\\\n  ')}${note === undefined ? '' : noteBlock(note)}`;
  });
}
