import { Document, Scalar, visit } from 'yaml';
import { escapeControls, hasHighControl } from '../text/controls.js';


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
      if (typeof node.value === 'string' && hasHighControl(node.value)) {
        node.type = Scalar.QUOTE_DOUBLE;
        quoted = true;
      }
    },
  });
  const text = doc.toString(options);
  return quoted ? escapeControls(text, 'high') : text;
}
