import type { Paper } from '../corpus/paper.js';
import { blankControls } from '../text/controls.js';
import { escapeUrl } from './bibtex.js';

const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|~]/g;
const markdownEscape = (text: string) => blankControls(text).replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
// The first sentence: up to a full stop, question or exclamation mark followed by a capital.
const SENTENCE_END = /[.!?](?=\s+[\p{Lu}\d])/u;
const MAX_SENTENCE = 300;

function firstSentence(abstract: string): string {
  const flat = abstract.replace(/\s+/g, ' ').trim();
  const end = SENTENCE_END.exec(flat);
  const sentence = end ? flat.slice(0, end.index + 1) : flat;
  return sentence.length > MAX_SENTENCE ? `${sentence.slice(0, MAX_SENTENCE - 1).trimEnd()}…` : sentence;
}

/** A reading list to paste into notes or a README. */
export function renderMarkdown(papers: Paper[]): string {
  const items = papers.map((paper) => {
    const links = [
      ...(paper.code ? [`[code](<${escapeUrl(paper.code)}>)`] : []),
      ...paper.links.filter((l) => l !== paper.code).map((l) => `[link](<${escapeUrl(l)}>)`),
    ];
    const lines = [
      `- **${markdownEscape(paper.title)}** (\`${paper.id}\`)${paper.date ? `, ${markdownEscape(paper.date)}` : ''}`,
      `  ${markdownEscape(firstSentence(paper.abstract))}`,
    ];
    if (links.length > 0) lines.push(`  ${links.join(' · ')}`);
    return lines.join('\n');
  });
  return `# Reading list\n\n${items.join('\n')}\n`;
}
