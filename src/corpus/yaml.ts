import { Document, Scalar } from 'yaml';
import { escapeControls, hasHighControl } from '../text/controls.js';

// Plain scalars that some YAML 1.1 or 1.2 reader (PyYAML, js-yaml's default schema, the yaml package in either
// version, Go's yaml.v3, Ruby's Psych) resolves to something other than that text: null, booleans (1.1 has
// yes/no/on/off/y/n), numbers in any base or sexagesimal (1.1: 0b11, 017, 12:30; loose floats: 1.2.3, `.`, e3), dates
// and timestamps, and 1.1's merge and value keys. Such strings are written quoted, so every tool reads the same text.
const NOT_TEXT_WHEN_PLAIN = /^(?:~|null|Null|NULL|[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<|=)?$/;
const TIMESTAMP = /^-?\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::?\d\d)?))?)?$/;
const NUMBER = [
  /^[-+]?(?:0[bB][01_]+|0[oO][0-7_]+|0[xX][0-9a-fA-F_]+|\.(?:inf|Inf|INF|nan|NaN|NAN))$/,
  /^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_.]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_.]*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)$/,
];
// Some readers drop digit separators anywhere before reading a number: `_` in Go's yaml.v3 (+_1), `,` in Psych (1,000).
const SEPARATORS = /[_,]/g;

function needsQuotes(text: string): boolean {
  if (NOT_TEXT_WHEN_PLAIN.test(text) || TIMESTAMP.test(text)) return true;
  const digits = text.replace(SEPARATORS, '');
  return NUMBER.some((pattern) => pattern.test(text) || (digits !== '' && pattern.test(digits)));
}

/**
 * YAML text for `value` that every YAML 1.1 and 1.2 reader reads back as `value`: strings that would read as
 * another type are quoted, and strings holding DEL or C1 characters are double-quoted, where `\xNN` escapes them
 * (the yaml package already escapes the other control characters).
 */
export function safeYaml(value: unknown, options: { lineWidth: number; minContentWidth?: number }, comment?: string): string {
  const flags = { controls: false };
  // Strings that must be double-quoted go in as quoted scalar nodes, which the document takes as they are:
  // one walk over the plain data instead of a visit of every node of the document.
  const doc = new Document(marked(value, flags));
  if (comment) doc.commentBefore = comment;
  const text = doc.toString(options);
  return flags.controls ? escapeControls(text, 'high') : text;
}

function marked(value: unknown, flags: { controls: boolean }): unknown {
  if (typeof value === 'string') {
    const controls = hasHighControl(value);
    if (!controls && !needsQuotes(value)) return value;
    flags.controls ||= controls;
    const scalar = new Scalar(value);
    scalar.type = Scalar.QUOTE_DOUBLE;
    return scalar;
  }
  if (Array.isArray(value)) return value.map((item) => marked(item, flags));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = marked(item, flags);
    return copy;
  }
  return value;
}
