import type { Paper } from '../corpus/paper.js';

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
const SPECIAL = /[\\{}%&_#$~^]/g;
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f]+/g;

export function latexEscape(text: string): string {
  return text.replace(CONTROL_OR_BREAK, ' ').replace(SPECIAL, (c) => LATEX_SPECIAL[c]!);
}

/** URLs are read verbatim by BibTeX styles; only braces would break the field. */
function bibUrl(url: string): string {
  return url.replace(/\{/g, '%7B').replace(/\}/g, '%7D').replace(CONTROL_OR_BREAK, '');
}

/** One @misc entry a paper, keyed by its id (stable, unique, and a valid BibTeX key). */
export function renderBibtex(papers: Paper[]): string {
  return papers
    .map((paper) => {
      const fields: [string, string][] = [['title', `{${latexEscape(paper.title)}}`]];
      const url = paper.code ?? paper.links[0];
      if (url) fields.push(['url', bibUrl(url)]);
      if (paper.date) fields.push(['note', `Papers digest of ${latexEscape(paper.date)}`]);
      fields.push(['abstract', latexEscape(paper.abstract)]);
      const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n');
      return `@misc{${paper.id},\n${body}\n}\n`;
    })
    .join('\n');
}

const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|~]/g;
const markdownEscape = (text: string) => text.replace(CONTROL_OR_BREAK, ' ').replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
// The first sentence: up to a full stop, question or exclamation mark followed by a capital.
const SENTENCE_END = /[.!?](?=\s+[\p{Lu}\d])/u;
const MAX_SENTENCE = 300;

export function firstSentence(abstract: string): string {
  const flat = abstract.replace(/\s+/g, ' ').trim();
  const end = SENTENCE_END.exec(flat);
  const sentence = end ? flat.slice(0, end.index + 1) : flat;
  return sentence.length > MAX_SENTENCE ? `${sentence.slice(0, MAX_SENTENCE - 1).trimEnd()}…` : sentence;
}

/** A reading list to paste into notes or a README. */
export function renderMarkdown(papers: Paper[]): string {
  const items = papers.map((paper) => {
    const links = [
      ...(paper.code ? [`[code](<${bibUrl(paper.code)}>)`] : []),
      ...paper.links.filter((l) => l !== paper.code).map((l) => `[link](<${bibUrl(l)}>)`),
    ];
    const lines = [`- **${markdownEscape(paper.title)}** (\`${paper.id}\`)${paper.date ? `, ${markdownEscape(paper.date)}` : ''}`, `  ${markdownEscape(firstSentence(paper.abstract))}`];
    if (links.length > 0) lines.push(`  ${links.join(' · ')}`);
    return lines.join('\n');
  });
  return `# Reading list\n\n${items.join('\n')}\n`;
}
