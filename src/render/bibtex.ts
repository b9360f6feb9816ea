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

/** URLs are read verbatim by BibTeX styles and Markdown links; braces and control characters would break the field. */
export function escapeUrl(url: string): string {
  return stripControls(url).replace(/\{/g, '%7B').replace(/\}/g, '%7D');
}

/** One @misc entry a paper, keyed by its id (stable, unique, and a valid BibTeX key). */
export function renderBibtex(papers: Paper[]): string {
  return papers
    .map((paper) => {
      const fields: [string, string][] = [['title', `{${latexEscape(paper.title)}}`]];
      // A web page only: a javascript: or data: URL from a hand-edited corpus is not a reference.
      const url = [paper.code, ...paper.links].find((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u.trim()));
      if (url) fields.push(['url', escapeUrl(url)]);
      if (paper.date) fields.push(['note', `Papers digest of ${latexEscape(paper.date)}`]);
      fields.push(['abstract', latexEscape(paper.abstract)]);
      const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n');
      return `@misc{${paper.id},\n${body}\n}\n`;
    })
    .join('\n');
}
