import { readFileSync } from 'node:fs';
import { Document, isMap, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { InputError } from '../errors.js';
import { fileError, writeFileAtomic } from './files.js';
import { PAPER_FIELDS, type Paper } from './paper.js';

const HEADER = 'papers corpus: one entry per paper, edit freely. Ids must stay unique; fields: ' + PAPER_FIELDS.join(', ');
// A corpus never needs aliases, and a few of them nested can expand a small file to gigabytes.
const MAX_ALIASES = 0;

export function readCorpusText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw fileError(error, path, 'corpus');
  }
}

export function loadCorpus(path: string): Paper[] {
  return parseCorpus(readCorpusText(path), path);
}

/** Validates the YAML once, here; everything past this point trusts the Paper type. */
export function parseCorpus(text: string, path: string): Paper[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line;
    throw new InputError(`invalid YAML: ${yamlMessage(first.message)}`, path, line);
  }
  if (text.trim() === '') return [];
  let aliasCount = 0;
  visit(doc, { Alias: () => void aliasCount++ });
  if (aliasCount > MAX_ALIASES) throw new InputError('YAML aliases (*name) are not allowed in a corpus; write the values out', path);

  const root = doc.contents;
  if (!isMap(root) || !root.has('papers')) {
    throw new InputError('expected a mapping with a `papers:` list at the top', path, lineOf(root as Node) ?? 1);
  }
  const list = root.get('papers', true) as Node | undefined;
  if (list === undefined || (list as { value?: unknown }).value === null) return [];
  if (!isSeq(list)) throw new InputError('`papers:` must be a list of papers (items starting with "- ")', path, lineOf(list));

  const papers: Paper[] = [];
  const ids = new Map<string, number>();
  list.items.forEach((item, index) => {
    const line = lineOf(item as Node);
    const where = `paper ${index + 1}`;
    if (!isMap(item)) throw new InputError(`${where} must be a mapping of fields (id, title, abstract, ...)`, path, line);
    const raw = item.toJSON() as Record<string, unknown>;
    for (const key of Object.keys(raw)) {
      if (!(PAPER_FIELDS as readonly string[]).includes(key)) {
        const keyNode = item.items.find((pair) => String((pair.key as { value?: unknown })?.value) === key)?.key as Node | undefined;
        throw new InputError(`${where}: unknown field \`${key}\` (fields are ${PAPER_FIELDS.join(', ')})`, path, lineOf(keyNode) ?? line);
      }
    }
    const fieldLine = (key: string) => lineOf(item.get(key, true) as Node) ?? line;
    const text = (key: string, required: boolean): string | null => {
      const value = raw[key];
      if (value === undefined || value === null) {
        if (required) throw new InputError(`${where}: missing required field \`${key}\``, path, line);
        return null;
      }
      if (typeof value === 'number' && key !== 'abstract' && key !== 'title') return String(value);
      if (typeof value !== 'string') throw new InputError(`${where}: \`${key}\` must be text, not ${describe(value)}`, path, fieldLine(key));
      if (required && value.trim() === '') throw new InputError(`${where}: \`${key}\` is empty`, path, fieldLine(key));
      return value;
    };
    const id = text('id', true)!;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
      throw new InputError(`${where}: id \`${id}\` must be lower-case letters, digits and dashes`, path, fieldLine('id'));
    }
    const previous = ids.get(id);
    if (previous !== undefined) throw new InputError(`${where}: id \`${id}\` is already used by paper ${previous}; ids must be unique`, path, fieldLine('id'));
    ids.set(id, index + 1);
    const links = raw.links ?? [];
    if (!Array.isArray(links) || links.some((l) => typeof l !== 'string')) {
      throw new InputError(`${where}: \`links\` must be a list of URLs`, path, fieldLine('links'));
    }
    papers.push({
      id,
      title: text('title', true)!,
      abstract: text('abstract', true)!,
      date: text('date', false),
      source: text('source', false) ?? '',
      links: links as string[],
      code: text('code', false),
    });
  });
  return papers;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

export function serializeCorpus(papers: Paper[]): string {
  const doc = new Document({
    papers: papers.map((p) => ({
      id: p.id,
      title: p.title,
      date: p.date,
      source: p.source,
      code: p.code,
      links: p.links,
      abstract: p.abstract,
    })),
  });
  doc.commentBefore = ` ${HEADER}`;
  return doc.toString({ lineWidth: 100, minContentWidth: 40 });
}

export function saveCorpus(path: string, papers: Paper[]): void {
  writeFileAtomic(path, serializeCorpus(papers));
}
