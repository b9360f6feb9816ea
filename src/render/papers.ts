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

// JSON.stringify escapes C0 controls but writes DEL and the C1 controls (one of them starts an escape
// sequence on some terminals) as they are: escape those too, so `papers ... --format json` is inert.
const UNESCAPED_CONTROL = /[\u007f-\u009f]/g;

export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNESCAPED_CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function renderJson(value: unknown): string {
  return `${safeJson(value, 2)}\n`;
}
