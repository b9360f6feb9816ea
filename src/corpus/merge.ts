import { titleKey, uniqueId, type NewPaper, type Paper } from './paper.js';

export interface Merge {
  papers: Paper[];
  added: Paper[];
  /** Incoming papers whose title is already in the corpus; the corpus copy is kept as it is. */
  present: NewPaper[];
}

/** New papers are appended with fresh ids; existing papers and their ids are never touched. */
export function mergePapers(corpus: Paper[], incoming: NewPaper[]): Merge {
  const known = new Set(corpus.map((p) => titleKey(p.title)));
  const taken = new Set(corpus.map((p) => p.id));
  const added: Paper[] = [];
  const present: NewPaper[] = [];
  for (const paper of incoming) {
    const key = titleKey(paper.title);
    if (known.has(key)) {
      present.push(paper);
      continue;
    }
    known.add(key);
    const { line: _line, ...fields } = paper;
    added.push({ id: uniqueId(paper.title, taken), ...fields });
  }
  return { papers: [...corpus, ...added], added, present };
}
