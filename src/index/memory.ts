import { summarize, type Paper, type PaperSummary } from '../corpus/paper.js';
import { findAcronymDefinitions } from './acronyms.js';
import { keyHashesOf } from './cache-file.js';
import { docsPassing, marksOf, passes } from './facets.js';
import { letterMasks } from './masks.js';
import { documentNorms } from './norms.js';
import { idMatches } from '../corpus/ids.js';
import { matchingKeys } from '../corpus/merge.js';
import type { CorpusView, Index } from './types.js';
import { frequenciesOf, indexWords } from './words.js';

/** An index over papers held in memory. */
export function memoryIndex(papers: Paper[]): Index {
  const index = indexWords(papers);
  let masks: Uint32Array | undefined;
  let norms: Float64Array | undefined;
  return {
    count: papers.length,
    words: { length: index.words.length, at: (i) => index.words[i]! },
    masks: () => (masks ??= letterMasks(index.words)),
    acronyms: findAcronymDefinitions(papers.map((p) => p.abstract)),
    postings: (at) => {
      const [start, end] = [index.offsets[at]!, index.offsets[at + 1]!];
      return {
        docs: index.docs.subarray(start, end),
        title: index.title.subarray(start, end),
        abstract: index.abstract.subarray(start, end),
        authors: index.authors.subarray(start, end),
      };
    },
    forEachWord(visit) {
      for (let at = 0; at < index.words.length; at++) visit(at, this.postings(at));
    },
    paper: (doc) => papers[doc]!,
    filter: (filters) => (doc) => passes(filters, papers[doc]!),
    norms: () => (norms ??= documentNorms(index, papers.length)),
    frequencies: () => frequenciesOf(index.offsets),
  };
}

/** A view over papers already in memory (no cache, or the cache was just rebuilt from them). */
export function memoryView(papers: Paper[]): CorpusView {
  let index: Index | undefined;
  let summaries: PaperSummary[] | undefined;
  const all = () => (summaries ??= papers.map(summarize));
  return {
    count: papers.length,
    summaries: all,
    keys: () => papers,
    ids: () => papers.map((p) => p.id),
    idTest: () => {
      const ids = new Set(papers.map((p) => p.id));
      return (id) => ids.has(id);
    },
    sortedIds: () => {
      const docs = Uint32Array.from(papers, (_, doc) => doc).sort((a, b) => (papers[a]!.id < papers[b]!.id ? -1 : papers[a]!.id > papers[b]!.id ? 1 : 0));
      return { ids: Array.from(docs, (doc) => papers[doc]!.id), docs };
    },
    keysMatching: (wanted) => matchingKeys(papers, wanted),
    keyHashes: () => keyHashesOf(papers),
    head: (n) => papers.slice(0, n).map(summarize),
    withId: (id, limit) => idMatches(all(), id, limit),
    paper: (doc) => papers[doc]!,
    papers: () => papers,
    select: (filters) => docsPassing(papers.length, (doc) => passes(filters, papers[doc]!)),
    marks: () => marksOf(papers),
    summariesOf: (docs) => (summaries ? docs.map((doc) => summaries![doc]!) : docs.map((doc) => summarize(papers[doc]!, doc))),
    chunks: (docs) => [docs ? docs.map((doc) => papers[doc]!) : papers],
    index: () => (index ??= memoryIndex(papers)),
  };
}
