import { Document, Scalar, visit } from 'yaml';

// DEL and the C1 controls, which the yaml package writes as they are; one of them opens an escape
// sequence on some terminals.
const C1 = /[\u007f-\u009f]/;
const C1_ALL = /[\u007f-\u009f]/g;

/**
 * YAML text for `value` with every control character escaped: strings holding DEL or C1 characters are
 * double-quoted, where `\xNN` escapes them (the yaml package already escapes the others).
 */
export function safeYaml(value: unknown, options: { lineWidth: number; minContentWidth?: number }, comment?: string): string {
  const doc = new Document(value);
  if (comment) doc.commentBefore = comment;
  let quoted = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && C1.test(node.value)) {
        node.type = Scalar.QUOTE_DOUBLE;
        quoted = true;
      }
    },
  });
  const text = doc.toString(options);
  return quoted ? text.replace(C1_ALL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : text;
}
