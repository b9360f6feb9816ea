import { readFileSync } from 'node:fs';
import { FAILSAFE_SCHEMA, load as loadYaml, Type, type EventType, type State } from 'js-yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Node, type SchemaOptions } from 'yaml';
import { InputError } from '../base/errors.js';
import { readError, writeFileAtomic } from './files.js';
import { checkField, PAPER_FIELDS, paperRecord, REQUIRED_FIELDS, type Paper } from './paper.js';
import { paperItems, safeYaml, yamlErrorMessage } from './yaml.js';

// Lists the fields every paper has, as it always has: an existing corpus is saved byte for byte as it was.
const HEADER = 'papers corpus: one entry per paper, edit freely. Ids must stay unique; fields: ' + REQUIRED_FIELDS.join(', ');
// A corpus never needs aliases, and a few of them nested can expand a small file to gigabytes.
const MAX_ALIASES = 0;
// Both readers resolve a plain scalar to text, exactly as written, or to null (`~`, `null`, nothing): never to a
// number, boolean or date, which would turn `id: 0b11` into 3 in one reader and not the other. Quoted scalars are
// text anyway. The writer quotes what other readers could take otherwise (see safeYaml).
const NULL_PLAIN = /^(?:~|null|Null|NULL)?$/;
const TEXT_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [new Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (s: string | null) => s === null || NULL_PLAIN.test(s), construct: () => null })],
});
// The same for the yaml package; explicit tags (!!timestamp) are not resolved either, so they too give the text.
const TEXT_OPTIONS: SchemaOptions = { schema: 'failsafe', customTags: ['null'], merge: false, resolveKnownTags: false };
const MERGE_KEYS = 'merge keys (`<<`) are not allowed in a corpus; write the fields out in each paper';

function readCorpusText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw readError(error, path, 'corpus');
  }
}

export function loadCorpus(path: string): Paper[] {
  return parseCorpus(readCorpusText(path), path);
}

/** A field that is wrong, and which key to point at (none: the whole paper). */
interface Problem {
  message: string;
  key?: string;
}

/** One paper's fields checked and normalised: the rules of the corpus format, in one place. */
function checkPaper(raw: Record<string, unknown>, index: number, ids: Map<string, number>): Paper | Problem {
  const where = `paper ${index + 1}`;
  for (const key of Object.keys(raw)) {
    if (!(PAPER_FIELDS as readonly string[]).includes(key)) return { message: `${where}: unknown field \`${key}\` (fields are ${PAPER_FIELDS.join(', ')})`, key };
  }
  const paper: Record<string, unknown> = {};
  for (const field of PAPER_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) {
      if (field === 'id' || field === 'title' || field === 'abstract') return { message: `${where}: missing required field \`${field}\`; add it` };
      // Optional fields a source did not give are left out; the older ones are null, as they always were.
      if ((REQUIRED_FIELDS as readonly string[]).includes(field)) paper[field] = field === 'links' ? [] : field === 'source' ? '' : null;
      continue;
    }
    // An abstract may be empty: reference lists (BibTeX from Google Scholar, DBLP) have none.
    if ((field === 'title' || field === 'id') && typeof value === 'string' && value.trim() === '') {
      return { message: `${where}: \`${field}\` is empty`, key: field };
    }
    const checked = checkField(field, value);
    if ('want' in checked) {
      const name = field === 'id' ? 'id' : `\`${field}\``;
      const message = typeof value === 'string' ? `${name} \`${value}\` must be ${checked.want}` : `${name} must be ${checked.want}, not ${describe(value)}`;
      return { message: `${where}: ${message}`, key: field };
    }
    paper[field] = checked.value;
  }
  const id = paper.id as string;
  const previous = ids.get(id);
  if (previous !== undefined) return { message: `${where}: id \`${id}\` is already used by paper ${previous}; ids must be unique`, key: 'id' };
  ids.set(id, index + 1);
  return paper as unknown as Paper;
}

const isProblem = (result: Paper | Problem): result is Problem => 'message' in result;

const UNUSUAL = new Error('anchor or merge key');

/**
 * Stops js-yaml at the first anchor (&name) or `<<` key, before any alias can be expanded: those files take the
 * careful way, which refuses aliases and merge keys with their line. An alias needs an anchor defined before it,
 * so no anchor means no alias. (A regex over the text also caught `R&D, *bold*` in an abstract, sending saved
 * corpora the slow way.) js-yaml keeps anchors in `anchorMap`; were that ever gone, every file would go the
 * careful way, slower but still right.
 */
function stopAtAnchorsAndMergeKeys(event: EventType, state: State): void {
  if (event !== 'close') return;
  const anchors = (state as State & { anchorMap?: object }).anchorMap;
  if (!anchors) throw UNUSUAL;
  for (const _ in anchors) throw UNUSUAL;
  if (state.kind === 'mapping' && Object.hasOwn(state.result as object, '<<')) throw UNUSUAL;
}

/**
 * The common case, fast: a valid corpus without anchors parses with js-yaml, several times faster than
 * the yaml package on large files. Anything unusual returns null and goes the careful way, which
 * names the line of every problem.
 */
export function parseValidQuickly(text: string): Paper[] | null {
  let data: unknown;
  try {
    data = loadYaml(text, { schema: TEXT_SCHEMA, listener: stopAtAnchorsAndMergeKeys });
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data) || !('papers' in data)) return null;
  const list = (data as { papers: unknown }).papers;
  if (list === null) return [];
  if (!Array.isArray(list)) return null;
  const ids = new Map<string, number>();
  const papers: Paper[] = [];
  for (const [index, item] of list.entries()) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return null;
    const paper = checkPaper(item as Record<string, unknown>, index, ids);
    if (isProblem(paper)) return null;
    papers.push(paper);
  }
  return papers;
}

/** Validates the YAML once, here; everything past this point trusts the Paper type. */
export function parseCorpus(text: string, path: string): Paper[] {
  return parseValidQuickly(text) ?? parseCarefully(text, path);
}

export function parseCarefully(text: string, path: string): Paper[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, ...TEXT_OPTIONS });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line;
    const message = yamlErrorMessage(text, first);
    throw new InputError(message.startsWith('invalid YAML') ? `${message}; fix the file there` : message, path, line);
  }
  if (text.trim() === '') return [];
  let aliasCount = 0;
  let merge: Node | undefined;
  visit(doc, {
    Alias: () => void aliasCount++,
    Pair: (_key, pair) => {
      if (isScalar(pair.key) && pair.key.value === '<<' && pair.key.type === Scalar.PLAIN) merge ??= pair.key;
    },
  });
  if (merge) throw new InputError(MERGE_KEYS, path, lineOf(merge));
  if (aliasCount > MAX_ALIASES) throw new InputError('YAML aliases (*name) are not allowed in a corpus; write the values out', path);

  const root = doc.contents;
  if (!isMap(root) || !root.has('papers')) {
    throw new InputError('expected a mapping with a `papers:` list at the top', path, lineOf(root as Node) ?? 1);
  }
  const list = root.get('papers', true) as Node | undefined;
  if (list === undefined || (list as { value?: unknown }).value === null) return [];
  if (!isSeq(list)) throw new InputError('`papers:` must be a list of papers (items starting with "- ")', path, lineOf(list));

  const ids = new Map<string, number>();
  return list.items.map((item, index) => {
    const line = lineOf(item as Node);
    if (!isMap(item)) throw new InputError(`paper ${index + 1} must be a mapping of fields (id, title, abstract, ...)`, path, line);
    const paper = checkPaper(item.toJSON() as Record<string, unknown>, index, ids);
    if (!isProblem(paper)) return paper;
    const pair = paper.key === undefined ? undefined : item.items.find((p) => String((p.key as { value?: unknown })?.value) === paper.key);
    const at = paper.key === undefined ? line : (lineOf((paper.message.includes('unknown field') ? pair?.key : pair?.value) as Node) ?? line);
    throw new InputError(paper.message, path, at);
  });
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

const YAML_LAYOUT = { lineWidth: 100, minContentWidth: 40 };
// Papers serialized together, so that each piece's text dies young.
const PAPERS_PER_PIECE = 25;

/**
 * The corpus file's text in pieces: the header, then the papers 25 at a time. Each paper is laid out as
 * the yaml package lays it out inside the whole document (`papers:` then two-space list items; see
 * paperItems), but no document is ever built, so memory stays that of the papers themselves and no
 * single string approaches the engine's limit on string length.
 */
function* corpusPieces(papers: Paper[]): Generator<string> {
  if (papers.length === 0) {
    yield safeYaml({ papers: [] }, YAML_LAYOUT, ` ${HEADER}`);
    return;
  }
  yield safeYaml({ papers: [] }, YAML_LAYOUT, ` ${HEADER}`).replace(/papers: \[\]\n$/, 'papers:\n');
  for (let start = 0; start < papers.length; start += PAPERS_PER_PIECE) {
    const records = papers.slice(start, start + PAPERS_PER_PIECE).map((p) => paperRecord(p, PAPER_FIELDS, 'omit'));
    yield paperItems(records, YAML_LAYOUT);
  }
}

export function serializeCorpus(papers: Paper[]): string {
  return [...corpusPieces(papers)].join('');
}

export function saveCorpus(path: string, papers: Paper[]): void {
  // Each piece is written as it is made: the whole file is never in memory.
  writeFileAtomic(path, corpusPieces(papers));
}
