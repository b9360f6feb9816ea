import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import type { Paper } from '../../src/corpus/paper.js';

/** What fuse.js gives with its default options over title and abstract: the point of comparison. */
export function plainFuse(papers: Paper[]): (query: string) => string[] {
  const fuse = new Fuse(papers, { keys: ['title', 'abstract'] });
  return (query) => fuse.search(query).map((r) => r.item.id);
}

/**
 * An outside reference for queries in other words: MiniSearch, a well-kept full-text engine, set up as one
 * would for this corpus: title boost 2, fuzzy 0.2, prefix search, OR of the words, Porter stemming.
 */
export function miniSearch(papers: Paper[]): (query: string) => string[] {
  const engine = new MiniSearch<Paper>({
    fields: ['title', 'abstract'],
    idField: 'id',
    processTerm: (term) => stemmer(term.toLowerCase()),
    searchOptions: { boost: { title: 2 }, fuzzy: 0.2, prefix: true, combineWith: 'OR' },
  });
  engine.addAll(papers);
  return (query) => engine.search(query).map((r) => String(r.id));
}
