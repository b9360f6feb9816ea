import { NotFoundError, PapersError } from '../base/errors.js';
import type { Paper } from './paper.js';

const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/g;
// Punctuation that ends a sentence or closes a bracket around a URL rather than belonging to it.
const URL_TRAILING = /[.,;:!?)\]}'"]+$/;

export function extractLinks(text: string): string[] {
  const links: string[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(URL_TRAILING, '');
    if (url.length > 'https://'.length && !links.includes(url)) links.push(url);
  }
  return links;
}

const GITHUB_REPO = /^https?:\/\/(?:www\.)?github\.com\/[\w.-]+\/[\w.-]+/i;

export function codeLink(links: string[]): string | null {
  for (const link of links) {
    const repo = GITHUB_REPO.exec(link);
    if (repo) return repo[0].replace(/\.git$/, '');
  }
  return null;
}

/** "owner/repo" for a GitHub URL, for narrow table cells. */
export function shortCode(code: string | null): string {
  if (!code) return '';
  return code.replace(/^https?:\/\/(?:www\.)?github\.com\//i, '');
}

// LaTeX escapes left in scraped abstracts (`Embedding\&MLP`, `84.25\%`): the character alone is what was meant.
const LATEX_ESCAPED = /\\([&%#_$])/g;
// HTML entities a page's text can keep when saved (`&amp;`, `&#8217;`): the character is what was meant.
const ENTITY = /&(?:(amp|lt|gt|quot|apos|nbsp)|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(entity: string, name?: string, decimal?: string, hex?: string): string {
  if (name) return NAMED[name.toLowerCase()]!;
  const code = decimal ? Number(decimal) : parseInt(hex!, 16);
  // Control characters and invalid code points stay written out, as they were.
  if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return entity;
  return String.fromCodePoint(code);
}

export function cleanScrapedText(text: string): string {
  return text.replace(LATEX_ESCAPED, '$1').replace(ENTITY, decodeEntity);
}

/** The pages a paper can be opened at, by what they are; only those it has. */
export interface PaperPages {
  page?: string;
  pdf?: string;
  hf?: string;
  code?: string;
  project?: string;
}

/** Where a paper can be read: its landing page (arXiv's, else its own), PDF, Hugging Face page, code, project. */
export function paperPages(paper: { arxiv?: string; url?: string; pdf?: string; code: string | null; project?: string; doi?: string }): PaperPages {
  const pages: PaperPages = {};
  const page = paper.url ?? (paper.arxiv ? `https://arxiv.org/abs/${paper.arxiv}` : paper.doi ? `https://doi.org/${paper.doi}` : undefined);
  const pdf = paper.pdf ?? (paper.arxiv ? `https://arxiv.org/pdf/${paper.arxiv}` : undefined);
  if (page) pages.page = page;
  if (pdf) pages.pdf = pdf;
  if (paper.arxiv) pages.hf = `https://huggingface.co/papers/${paper.arxiv}`;
  if (paper.code) pages.code = paper.code;
  if (paper.project) pages.project = paper.project;
  return pages;
}

const WEB_SCHEME = /^https?:\/\//i;

/**
 * A URL a browser may be handed as it is written: it starts with `http://` or `https://` (so no program can take it
 * for an option) and is one by the WHATWG URL rules browsers follow. `javascript:`, `file:` and the rest are not.
 */
function isWebUrl(text: string): boolean {
  // No program's argument can hold a NUL byte.
  if (!WEB_SCHEME.test(text) || text.includes('\0')) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const NAMES: Record<keyof PaperPages, string> = { page: 'page', pdf: 'PDF', hf: 'Hugging Face page', code: 'code', project: 'project page' };

/** The URL to open: the page asked for, or without a choice the paper's own page, else the best web link it has. */
export function pageToOpen(paper: Paper, kind: keyof PaperPages | null): string {
  const pages = paperPages(paper);
  const candidates = kind ? [pages[kind]] : [pages.page, pages.pdf, pages.code, pages.project, ...paper.links];
  const links = candidates.filter((link): link is string => link !== undefined);
  const url = links.find(isWebUrl);
  if (url) return url;
  const what = kind ? NAMES[kind] : 'link';
  if (links.length > 0) throw new PapersError(`\`${paper.id}\` has no ${what} that can be opened: \`${links[0]}\` is not an http or https URL`, 2);
  const has = (Object.keys(pages) as (keyof PaperPages)[]).map((k) => NAMES[k]);
  throw new NotFoundError(`\`${paper.id}\` has no ${what}; ${has.length > 0 ? `it has: ${has.join(', ')}` : 'it has no links at all'}`);
}
