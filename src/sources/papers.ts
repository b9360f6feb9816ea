import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type YAMLMap } from 'yaml';
import { codeLink, extractLinks } from '../corpus/links.js';
import { checkField, isPaperId, PAPER_FIELDS, type NewPaper } from '../corpus/paper.js';
import { titleKey } from '../corpus/slug.js';
import { yamlErrorMessage } from '../corpus/yaml.js';
import { InputError } from '../base/errors.js';
import type { Reading } from './types.js';

/**
 * Whether the same input already gave this paper: the same arXiv id, DOI or title, the keys merging matches
 * papers by. Records it as seen when not.
 */
export function seenBefore(seen: Set<string>, paper: NewPaper): boolean {
  const keys = [`title:${titleKey(paper.title)}`];
  if (paper.arxiv) keys.push(`arxiv:${paper.arxiv}`);
  if (paper.doi) keys.push(`doi:${paper.doi.toLowerCase()}`);
  if (keys.some((key) => seen.has(key))) return true;
  for (const key of keys) seen.add(key);
  return false;
}

/** One record of the input, and where it is. */
export interface Item {
  value: unknown;
  line?: number;
  /** Its place among the input's records, when some before it were passed over. */
  number?: number;
  /** The line of one of its fields, where the input can tell. */
  fieldLine?: (field: string) => number | undefined;
}

/**
 * papers' own exports read back: `export --format json` (a list of records, every field, absent ones null),
 * `--format ndjson` (one record a line), `--format yaml` (the same list), or a corpus file (`papers:` and its
 * list). Every field is checked as the corpus checks it. Ids are not taken: the importing corpus gives its own,
 * unique in it. A record's `source` is kept (where the paper first came from), or is this file when it has none.
 */
export function readPapersExport(text: string, name: string): Reading {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { papers: [], skipped: 0, repeated: 0 };
  return readRecords(itemsOf(body, name), name);
}

/** Records of papers' fields (an export's, or another format's turned into them), each checked as the corpus checks it. */
export function readRecords(items: Item[], name: string, skipped = 0): Reading {
  const papers: NewPaper[] = [];
  const seen = new Set<string>();
  let repeated = 0;
  items.forEach((item, index) => {
    const paper = toPaper(item, item.number ?? index + 1, name);
    if (seenBefore(seen, paper)) repeated++;
    else papers.push(paper);
  });
  return { papers, skipped, repeated };
}

function itemsOf(text: string, name: string): Item[] {
  const first = text.trimStart()[0];
  if (first !== '[' && first !== '{') return yamlItems(text, name);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // Objects one a line: NDJSON.
    if (first === '{') return ndjsonItems(text, name);
    throw new InputError(`not valid JSON (${(error as Error).message})`, name, jsonErrorLine(error, text));
  }
  if (Array.isArray(data)) {
    const lines = elementLines(text);
    return data.map((value, index) => ({ value, line: lines[index] }));
  }
  const list = (data as { papers?: unknown }).papers;
  if (Array.isArray(list)) return list.map((value) => ({ value }));
  return [{ value: data, line: 1 }];
}

function ndjsonItems(text: string, name: string): Item[] {
  const items: Item[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      items.push({ value: JSON.parse(raw), line: index + 1 });
    } catch (error) {
      throw new InputError(`not valid JSON (${(error as Error).message}); NDJSON has one paper a line`, name, index + 1);
    }
  });
  return items;
}

/** The line of V8's "... at position N". */
function jsonErrorLine(error: unknown, text: string): number | undefined {
  const position = /at position (\d+)/.exec((error as Error).message)?.[1];
  return position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
}

/** The line where each element of a JSON array starts (JSON.parse says nothing of where values were). */
export function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expecting = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (expecting && c !== ']') lines.push(line);
    expecting = false;
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') expecting = ++depth === 1 && c === '[';
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expecting = true;
  }
  return lines;
}

function yamlItems(text: string, name: string): Item[] {
  const lineCounter = new LineCounter();
  // As the corpus reads YAML: every scalar is text or null (`upvotes: 12` is then checked as a count), no merge keys.
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: true,
    schema: 'failsafe',
    customTags: ['null'],
    merge: false,
    resolveKnownTags: false,
  });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const error = doc.errors[0];
  if (error) throw new InputError(yamlErrorMessage(text, error), name, error.linePos?.[0].line);
  let alias: Node | undefined;
  visit(doc, { Alias: (_key, node) => void (alias ??= node) });
  // Aliases can expand a small file to gigabytes, and papers never writes them.
  if (alias) throw new InputError('YAML aliases (*name) are not allowed; write the values out', name, lineOf(alias));
  const root = doc.contents;
  const list = isMap(root) && root.has('papers') ? root.get('papers', true) : root;
  if (isScalar(list) && list.value === null) return [];
  if (!isSeq(list)) {
    throw new InputError(
      'expected a list of papers (as `papers export --format yaml` writes) or a corpus file (`papers:` and its list)',
      name,
      lineOf(root) ?? 1,
    );
  }
  return list.items.map((node) => ({
    value: (node as Node | null)?.toJSON() ?? null,
    line: lineOf(node as Node),
    fieldLine: (field: string) => (isMap(node) ? lineOf((node as YAMLMap).get(field, true) as Node | undefined) : undefined),
  }));
}

const NOTE = 'note';

const describe = (value: unknown) => (Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`);

/** One record checked field by field, by the corpus's rules. */
function toPaper(item: Item, number: number, name: string): NewPaper {
  const where = `paper ${number}`;
  const fail = (message: string, field?: string) => new InputError(`${where}: ${message}`, name, (field && item.fieldLine?.(field)) || item.line);
  const record = item.value;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new InputError(`${where} must be a mapping of fields (title, abstract, ...), not ${record === null ? 'null' : describe(record)}`, name, item.line);
  }
  for (const key of Object.keys(record)) {
    // An export's `note` is the user's note, kept beside the corpus it came from, never in a corpus: passed over.
    if (key !== NOTE && !(PAPER_FIELDS as readonly string[]).includes(key)) throw fail(`unknown field \`${key}\` (fields are ${PAPER_FIELDS.join(', ')})`, key);
  }
  const fields: Record<string, unknown> = {};
  for (const field of PAPER_FIELDS) {
    const value = (record as Record<string, unknown>)[field];
    if (field === 'id' || value === undefined || value === null) continue;
    if (field === 'title' && typeof value === 'string' && value.trim() === '') throw fail(`\`${field}\` is empty`, field);
    const checked = checkField(field, value);
    if ('want' in checked) {
      throw fail(
        typeof value === 'string'
          ? `\`${field}\` \`${value}\` must be ${checked.want}`
          : typeof value === 'number'
            ? `\`${field}\` ${value} must be ${checked.want}`
            : `\`${field}\` must be ${checked.want}, not ${describe(value)}`,
        field,
      );
    }
    fields[field] = checked.value;
  }
  for (const field of ['title', 'abstract'] as const) if (fields[field] === undefined) throw fail(`missing required field \`${field}\`; add it`);
  const paper = fields as unknown as NewPaper;
  paper.date ??= null;
  if (!paper.source) paper.source = name;
  paper.links ??= extractLinks(paper.abstract);
  // Absent: found among the links, as any reader does; null: the record says there is none.
  if (!('code' in record)) paper.code = codeLink(paper.links);
  paper.code ??= null;
  if (item.line !== undefined) paper.line = item.line;
  // The id it had where it was exported: kept by the importing corpus when it is free there.
  const id = (record as Record<string, unknown>).id;
  if (isPaperId(id)) paper.id = id;
  return paper;
}
