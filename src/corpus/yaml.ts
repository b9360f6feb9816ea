import { Document, parseDocument, Scalar, type YAMLError } from 'yaml';
import { stringTag } from 'yaml/util';
import { escapeControls, hasHighControl } from '../base/text/controls.js';

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

// Every character any of the patterns above can match: text with another one, past the length of the longest
// word (FALSE), is text to every reader. Most text is ruled out by its first letter, without a pass over it.
const ONLY_NUMBER_OR_DATE_CHARACTERS = /[^-+0-9a-fA-FiInNtTxXoObBZ._,: \t]/;

function needsQuotes(text: string): boolean {
  if (text.length > 5 && ONLY_NUMBER_OR_DATE_CHARACTERS.test(text)) return false;
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

type Layout = { lineWidth: number; minContentWidth?: number };

/**
 * The yaml package's way of writing one string as a value in block layout: the same options it starts a
 * document with, the same schema (whose tags decide when a plain string must be quoted), and the string tag's
 * own writer. Only the fixed block structure of a corpus (a list of maps of strings, numbers, nulls and lists of
 * strings) is laid out here; every decision about a scalar (plain, quoted, folded, escaped) stays the library's.
 */
function scalarWriter(layout: Layout): (value: string, indent: string, atStart: number | undefined, controls: boolean) => string {
  const doc = new Document();
  const options = {
    blockQuote: true,
    commentString: (text: string) => text.replace(/^(?!$)(?: $)?/gm, '#'),
    defaultKeyType: null,
    defaultStringType: 'PLAIN',
    directives: null,
    doubleQuotedAsJSON: false,
    doubleQuotedMinMultiLineLength: 40,
    falseStr: 'false',
    flowCollectionPadding: true,
    indentSeq: true,
    minContentWidth: 20,
    nullStr: 'null',
    simpleKeys: false,
    singleQuote: null,
    trailingComma: false,
    trueStr: 'true',
    verifyAliasOrder: true,
    ...layout,
  };
  const ctx = { anchors: new Set(), doc, flowCollectionPadding: ' ', indent: '', indentStep: '  ', inFlow: null, options, allNullValues: false, implicitKey: false } as Record<
    string,
    unknown
  >;
  const plain = { value: '', type: undefined as Scalar.Type | undefined };
  return (value, indent, atStart, controls) => {
    ctx.indent = indent;
    ctx.indentAtStart = atStart;
    plain.value = value;
    plain.type = controls || needsQuotes(value) ? Scalar.QUOTE_DOUBLE : undefined;
    return (stringTag.stringify as (item: unknown, ctx: unknown) => string)(plain, ctx);
  };
}

const writers = new Map<Layout, ReturnType<typeof scalarWriter>>();

/**
 * Papers as items of the corpus's `papers:` list, exactly as safeYaml would write `{ papers: records }` (less
 * its first line), without building a document: each record's fields are written in order, each value by the
 * library's string writer. A record holding anything else (a nested map, a fraction) is written by safeYaml.
 */
export function paperItems(records: Record<string, unknown>[], layout: Layout): string {
  let writer = writers.get(layout);
  if (!writer) writers.set(layout, (writer = scalarWriter(layout)));
  let text = '';
  for (const record of records) text += paperItem(record, writer) ?? safeYaml({ papers: [record] }, layout).replace(/^papers:\n/, '');
  return text;
}

const FIELD_INDENT = '      ';
const ITEM_INDENT = '        ';

function paperItem(record: Record<string, unknown>, write: ReturnType<typeof scalarWriter>): string | null {
  let text = '';
  let controls = false;
  let filled = false;
  for (const key in record) {
    if (!/^[a-z]+$/.test(key) || needsQuotes(key)) return null;
    const value = record[key];
    filled ||= value !== null;
    text += text === '' ? '  - ' : '\n    ';
    if (value === null) text += `${key}: null`;
    else if (typeof value === 'string') {
      const high = hasHighControl(value);
      controls ||= high;
      text += `${key}: ${write(value, FIELD_INDENT, key.length + 2, high)}`;
    } else if (typeof value === 'number' && Number.isSafeInteger(value)) text += `${key}: ${value}`;
    else if (Array.isArray(value)) {
      if (value.length === 0) {
        text += `${key}: []`;
        continue;
      }
      text += `${key}:`;
      for (const item of value) {
        if (typeof item !== 'string') return null;
        const high = hasHighControl(item);
        controls ||= high;
        text += `\n${FIELD_INDENT}- ${write(item, ITEM_INDENT, undefined, high)}`;
      }
    } else return null;
  }
  // A map of nothing but nulls is written another way (`? key`).
  if (!filled) return null;
  text += '\n';
  return controls ? escapeControls(text, 'high') : text;
}

// `title: Foo: Bar` and its kin: a field, and a value that only parses inside quotes.
const FIELD_LINE = /^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):[ \t]+(?!["'])(\S.*?)\s*$/;

/**
 * What a YAML parse error means, in one sentence. A hand-edited `field: value` line whose value YAML reads as
 * more than text (a colon and a space start a nested mapping, `[` a list, `*` an alias) is told to quote the
 * value, written out as it should be; other errors keep the parser's first line.
 */
export function yamlErrorMessage(text: string, error: YAMLError): string {
  const line = error.linePos?.[0].line;
  const source = line === undefined ? undefined : text.split('\n', line)[line - 1];
  const match = source === undefined ? null : FIELD_LINE.exec(source);
  if (line !== undefined && match) {
    const [, lead, field, value] = match as unknown as [string, string, string, string];
    const quoted = `${field}: ${JSON.stringify(value)}`;
    const lines = text.split('\n');
    lines[line - 1] = `${lead}${quoted}`;
    // Only when quoting is the cure: the line parses once its value is quoted.
    if (!parseDocument(lines.join('\n')).errors.some((e) => e.linePos?.[0].line === line)) {
      const why = /:(?:\s|$)/.test(value) ? ' (unquoted, YAML reads its ": " as the start of a nested mapping)' : '';
      return `quote the value of \`${field}\`: write ${quoted}${why}`;
    }
  }
  return `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
}
