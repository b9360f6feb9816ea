import type { Paper } from '../corpus/paper.js';
import { buildIndex, searchIndex, type Hit } from './engine.js';
import { parseQuery } from './query.js';

export type { Hit } from './engine.js';

/** Parse `query` and rank `papers` against it, best first, at most `limit` of them. */
export async function searchPapers(papers: Paper[], query: string, limit = Infinity): Promise<Hit[]> {
  const parsed = parseQuery(query);
  return searchIndex(buildIndex(papers), parsed, limit);
}
