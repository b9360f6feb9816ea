import { InputError, ServiceAnswer } from '../base/errors.js';
import { codeLink, extractLinks } from '../corpus/links.js';
import { checkField, type NewPaper } from '../corpus/paper.js';
import { parseArxivRef } from './arxiv-id.js';
import { isoDay, unwrap } from './text.js';
import { MAX_FIELD_CHARS, MAX_XML_ATTRIBUTES, MAX_DEPTH, MAX_XML_ELEMENTS } from './limits.js';
import type { Reading } from './types.js';

// Namespaces as the arXiv API user manual declares them; elements are matched by namespace, not by prefix.
const ATOM = 'http://www.w3.org/2005/Atom';
const ARXIV = 'http://arxiv.org/schemas/atom';
const OPENSEARCH = 'http://a9.com/-/spec/opensearch/1.1/';

const WANT = 'expected an arXiv API response (Atom), as http://export.arxiv.org/api/query sends it';
// arXiv reports a bad query as a feed with one entry whose id is under /api/errors: http in its manual, https in 2026 responses.
const ERROR_ID = /^https?:\/\/(?:export\.)?arxiv\.org\/api\/errors/i;
const ANNOUNCEMENT_ID = /^oai:arXiv\.org:/i;
// arXiv's own taxonomy (cs.LG, hep-th, cond-mat.stat-mech); <category> also carries ACM (I.2.6) and MSC (68T05) classes.
const ARXIV_CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?$/;

/** An element: its namespace and local name, attributes without a namespace, and its own text. */
interface XmlElement {
  uri: string;
  local: string;
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

class NotAtom extends Error {}
/** Past one of the limits (see limits.ts): refused where it is, in its own words. */
class TooMuch extends Error {}

// The elements read, by the element they are in: nothing else of a feed is kept, so memory follows what is used.
const KEPT: Record<string, Set<string>> = {
  feed: new Set([`${ATOM} entry`, `${OPENSEARCH} totalResults`, `${OPENSEARCH} startIndex`, `${OPENSEARCH} itemsPerPage`]),
  entry: new Set(
    [...['id', 'title', 'summary', 'author', 'published', 'category'].map((local) => `${ATOM} ${local}`)].concat(
      ['doi', 'journal_ref', 'comment', 'primary_category'].map((local) => `${ARXIV} ${local}`),
    ),
  ),
  author: new Set([`${ATOM} name`]),
};

/**
 * An arXiv API Atom feed -> papers. Ids lose their version (`2410.17243v2` -> `2410.17243`); an arXiv error
 * feed is refused with arXiv's own message. The XML parser is loaded here, not at start-up: most commands never
 * read a feed.
 */
export async function readArxivAtom(text: string, name: string): Promise<Reading> {
  const feed = await parseFeed(text, name);
  const entries = elements(feed, ATOM, 'entry');
  for (const entry of entries) {
    const id = textOf(entry, ATOM, 'id');
    if (ERROR_ID.test(id)) {
      const message = textOf(entry, ATOM, 'summary') || textOf(entry, ATOM, 'title') || 'no message';
      throw new ServiceAnswer(`arXiv answered with an error: ${message}`, name);
    }
    // rss.arxiv.org's Atom flavour looks alike but lists announcements: no DOI, journal or comment, authors in one string.
    if (ANNOUNCEMENT_ID.test(id)) throw new InputError(`this is arXiv's daily announcement feed (rss.arxiv.org), not an API response; ${WANT}`, name);
  }
  if (entries.length === 0) checkEmptyPage(feed, name);

  const papers: NewPaper[] = [];
  const seen = new Set<string>();
  let repeated = 0;
  entries.forEach((entry, index) => {
    const paper = toPaper(entry, index + 1, name);
    if (seen.has(paper.arxiv)) {
      repeated++;
      return;
    }
    seen.add(paper.arxiv);
    papers.push(paper);
  });
  return { papers, skipped: 0, repeated };
}

/**
 * arXiv sometimes sends a page with no entries while its totals say there are more (a known fault of the
 * API when it is busy). Importing nothing from it would look like success, so it is refused.
 */
function checkEmptyPage(feed: XmlElement, name: string): void {
  const count = (local: string) => Number(textOf(feed, OPENSEARCH, local) || 0);
  const total = count('totalResults');
  const start = count('startIndex');
  if (total > start && count('itemsPerPage') > 0) {
    throw new InputError(`arXiv sent no entries although it reports ${total} results from ${start}; fetch the page again`, name);
  }
}

function toPaper(entry: XmlElement, number: number, name: string): NewPaper & { arxiv: string } {
  const where = `entry ${number}`;
  const id = textOf(entry, ATOM, 'id');
  if (id === '') throw new InputError(`${where} has no <id>`, name, entry.line);
  const ref = parseArxivRef(id);
  if (!ref || !('value' in checkField('arxiv', ref.id))) throw new InputError(`${where} has no arXiv id: its <id> is "${id}"`, name, entry.line);
  const title = textOf(entry, ATOM, 'title');
  if (title === '') throw new InputError(`${where} (${ref.id}) has no title`, name, entry.line);
  const abstract = textOf(entry, ATOM, 'summary');
  if (abstract === '') throw new InputError(`${where} (${ref.id}) has no summary`, name, entry.line);

  const links = extractLinks(abstract);
  const paper: NewPaper & { arxiv: string } = { title, abstract, date: null, source: name, links, code: codeLink(links), arxiv: ref.id, line: entry.line };
  // Affiliations (arxiv:affiliation inside <author>) have no field in a paper, so only the names are kept.
  const authors = elements(entry, ATOM, 'author')
    .map((author) => textOf(author, ATOM, 'name'))
    .filter(Boolean);
  if (authors.length > 0) paper.authors = authors;
  const published = isoDay(textOf(entry, ATOM, 'published'));
  if (published !== null && 'value' in checkField('published', published)) paper.published = published;

  // An entry may name several DOIs, separated by spaces; the first is the paper's.
  const doi = textOf(entry, ARXIV, 'doi')
    .split(' ')
    .find((token) => 'value' in checkField('doi', token));
  if (doi !== undefined) paper.doi = doi;
  const journal = textOf(entry, ARXIV, 'journal_ref');
  if (journal !== '') paper.journal = journal;
  const comments = textOf(entry, ARXIV, 'comment');
  if (comments !== '') {
    paper.comments = comments;
    // Authors often name their code in the comment line ("Code: https://github.com/...").
    paper.code ??= codeLink(extractLinks(comments));
  }

  const categories = categoriesOf(entry);
  if (categories.length > 0) paper.categories = categories;
  // The feed's links name a version (abs/1706.03762v7); the paper's pages are the unversioned ones, which show the latest.
  paper.url = `https://arxiv.org/abs/${ref.id}`;
  paper.pdf = `https://arxiv.org/pdf/${ref.id}`;
  return paper;
}

/** arXiv categories, the primary one first, each once. */
function categoriesOf(entry: XmlElement): string[] {
  const terms = [...elements(entry, ARXIV, 'primary_category'), ...elements(entry, ATOM, 'category')].map((c) => c.attributes.term?.trim() ?? '');
  return [...new Set(terms.filter((term) => ARXIV_CATEGORY.test(term)))];
}

async function parseFeed(text: string, name: string): Promise<XmlElement> {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.trimStart();
  if (start === '') throw new InputError(`the file is empty; ${WANT}`, name);
  if (!start.startsWith('<')) throw new InputError(`not XML: the file starts with "${snippet(start)}"; ${WANT}`, name);

  const { SaxesParser } = await import('saxes');
  // saxes checks well-formedness and namespaces, and never expands entities a DTD declares (no billion laughs)
  // nor fetches external ones: a reference to one is an error.
  const parser = new SaxesParser({ xmlns: true, position: true });
  // The elements open, innermost last; null for one that is not kept (nor anything in it).
  const open: (XmlElement | null)[] = [];
  let root: XmlElement | null = null;
  let kept = 0;
  let attributes = 0;
  parser.on('opentagstart', () => (attributes = 0));
  parser.on('attribute', () => {
    if (++attributes > MAX_XML_ATTRIBUTES) throw new TooMuch(`an element with over ${MAX_XML_ATTRIBUTES} attributes: this is no feed`);
  });
  parser.on('opentag', (tag) => {
    if (open.length >= MAX_DEPTH) throw new TooMuch(`elements nested over ${MAX_DEPTH} deep: this is no feed, and is not read further`);
    const parent = open.at(-1);
    if (root !== null && !(parent && KEPT[parent.local]?.has(`${tag.uri} ${tag.local}`))) {
      open.push(null);
      return;
    }
    if (++kept > MAX_XML_ELEMENTS)
      throw new TooMuch(`over ${MAX_XML_ELEMENTS.toLocaleString('en-US')} entries, authors and other elements read: this is no feed`);
    const element: XmlElement = { uri: tag.uri, local: tag.local, name: tag.name, attributes: {}, children: [], text: '', line: parser.line };
    for (const attribute of Object.values(tag.attributes)) if (attribute.uri === '') element.attributes[attribute.local] = attribute.value;
    if (root === null) {
      root = element;
      // Refused at its first tag, before any fault later on in a file that was never a feed.
      if (element.local !== 'feed') throw new NotAtom(`not an Atom feed: its root element is <${element.name}>, not <feed>`);
      if (element.uri !== ATOM) throw new NotAtom(`not an Atom feed: its <${element.name}> is not in the Atom namespace (${ATOM})`);
    }
    parent?.children.push(element);
    open.push(element);
  });
  parser.on('closetag', () => open.pop());
  const addText = (chunk: string) => {
    const element = open.at(-1);
    if (!element) return;
    element.text += chunk;
    if (element.text.length > MAX_FIELD_CHARS) throw new TooMuch(`<${element.name}> holds over ${MAX_FIELD_CHARS >> 20} MB of text, more than a field may`);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);

  let stage: 'write' | 'close' = 'write';
  try {
    parser.write(body);
    stage = 'close';
    parser.close();
  } catch (error) {
    if (error instanceof NotAtom) throw new InputError(`${error.message}; ${WANT}`, name, parser.line);
    if (error instanceof TooMuch) throw new InputError(error.message, name, parser.line);
    // saxes prefixes its messages with line:column; the line goes where InputError puts it.
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    if (stage === 'close') throw new InputError(`the XML ends before the feed is complete (${reason}): the file looks truncated`, name, parser.line);
    throw new InputError(`not well-formed XML: ${reason}`, name, parser.line);
  }
  if (root === null) throw new InputError(`no XML element in the file; ${WANT}`, name);
  return root;
}

function elements(parent: XmlElement, uri: string, local: string): XmlElement[] {
  return parent.children.filter((child) => child.uri === uri && child.local === local);
}

/** The first such child's text on one line, or '' when there is none. */
function textOf(parent: XmlElement, uri: string, local: string): string {
  const child = parent.children.find((c) => c.uri === uri && c.local === local);
  return child ? unwrap(child.text) : '';
}

function snippet(text: string): string {
  const first = text.split(/\r?\n/, 1)[0]!.trim();
  return first.length > 40 ? `${first.slice(0, 37)}...` : first;
}
