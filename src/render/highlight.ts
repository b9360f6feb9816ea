import type { Paint } from './paint.js';
import type { Span } from '../search/match.js';
import { oneLine } from '../base/terminal.js';

/** `text` made safe for a terminal, with `spans` (offsets into `text`) painted. */
export function highlight(text: string, spans: Span[], paint: Paint, flatten = true): string {
  const clean = flatten ? oneLine : (s: string) => s;
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    out += clean(text.slice(at, span.start)) + paint.match(clean(text.slice(span.start, span.end)));
    at = span.end;
  }
  return out + clean(text.slice(at));
}

// Characters of context shown before the first matched word of a snippet.
const SNIPPET_LEAD = 30;

/** A window of `text` around its densest run of matches, with the spans shifted into it. */
export function snippet(text: string, spans: Span[], width: number): { text: string; spans: Span[] } {
  if (text.length <= width) return { text, spans };
  let bestStart = 0;
  let bestCount = -1;
  for (const span of spans) {
    const count = spans.filter((s) => s.start >= span.start && s.end <= span.start + width - SNIPPET_LEAD).length;
    if (count > bestCount) {
      bestCount = count;
      bestStart = span.start;
    }
  }
  let start = Math.max(0, bestStart - SNIPPET_LEAD);
  const space = text.lastIndexOf(' ', start);
  if (start > 0 && space > start - 15) start = space + 1;
  const prefix = start > 0 ? '…' : '';
  const end = Math.min(text.length, start + width - prefix.length);
  const suffix = end < text.length ? '…' : '';
  const body = text.slice(start, end - suffix.length);
  return {
    text: prefix + body + suffix,
    spans: spans
      .filter((s) => s.start >= start && s.end <= start + body.length)
      .map((s) => ({ start: s.start - start + prefix.length, end: s.end - start + prefix.length })),
  };
}
