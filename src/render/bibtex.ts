import { blankControls, stripControls } from '../text/controls.js';
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

function latexEscape(text: string): string {
  return blankControls(text).replace(SPECIAL, (c) => LATEX_SPECIAL[c]!);
}

/** URLs are read verbatim by BibTeX styles and Markdown links; braces and control characters would break the field. */
export function escapeUrl(url: string): string {
  return stripControls(url).replace(/\{/g, '%7B').replace(/\}/g, '%7D');
}

/** One @misc entry a paper, keyed by its id (stable, unique, and a valid BibTeX key). */
export function renderBibtex(papers: Paper[]): string {
  return papers
    .map((paper) => {
      const fields: [string, string][] = [['title', `{${latexEscape(paper.title)}}`]];
      const url = paper.code ?? paper.links[0];
      if (url) fields.push(['url', escapeUrl(url)]);
      if (paper.date) fields.push(['note', `Papers digest of ${latexEscape(paper.date)}`]);
      fields.push(['abstract', latexEscape(paper.abstract)]);
      const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n');
      return `@misc{${paper.id},\n${body}\n}\n`;
    })
    .join('\n');
}
