import type { Paper } from '../corpus/paper.js';

/** The stable shape of a paper in JSON, NDJSON and YAML output: fields named and ordered here, not by internals. */
export function paperRecord(paper: Paper): Record<string, unknown> {
  return {
    id: paper.id,
    title: paper.title,
    date: paper.date,
    code: paper.code,
    links: paper.links,
    source: paper.source,
    abstract: paper.abstract,
  };
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
