import Fuse from 'fuse.js';
import type { Paper } from '../../src/corpus/paper.js';

/** What fuse.js gives with its default options over title and abstract: the point of comparison. */
export function plainFuse(papers: Paper[]): (query: string) => string[] {
  const fuse = new Fuse(papers, { keys: ['title', 'abstract'] });
  return (query) => fuse.search(query).map((r) => r.item.id);
}
