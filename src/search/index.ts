import type { Paper } from '../corpus/paper.js';
import { buildIndex, searchIndex, type Hit } from './engine.js';
import { parseQuery } from './query.js';

export type { Hit } from './engine.js';

/** Parse `query` and rank `papers` against it, best first. */
export function searchPapers(papers: Paper[], query: string): Hit[] {
  const parsed = parseQuery(query);
  return searchIndex(buildIndex(papers), parsed);
}
