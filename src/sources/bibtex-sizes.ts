import { InputError } from '../base/errors.js';
import { MAX_DEPTH, MAX_FIELD_CHARS, MAX_MACRO_GROWTH } from './limits.js';

const MB = 1024 * 1024;
// The tokens of Citation.js's BibTeX lexer (plugin-bibtex's input/file.js), which this scan follows.
const IDENTIFIER = /[a-zA-Z_][a-zA-Z0-9_:+-]*/y;
const NUMBER = /-?\d+/y;
const LABEL = /[^,\s]+/y;
const SPACES = /\s+/y;
const COMMENT = /%.*/y;
const OTHER_TYPE = /string|preamble/iy;
const COMMENT_LINE = /@comment.+/iy;
// Plain runs of a value's text, without the lexer's alternation, which V8 cannot repeat over megabytes.
const BRACED_TEXT = /[^{}\\]+/y;
const QUOTED_TEXT = /[^{"\\]+/y;

/** Where the scan stops following the file: Citation.js reports the syntax error there, before expanding anything past it. */
class Unfollowed extends Error {}

/**
 * Refuses a BibTeX file whose values Citation.js would build too large, before it builds them: a field or @string
 * value of more than MAX_FIELD_CHARS (its lexer overflows the stack on a value of some 8 MB), or @string macros
 * that expand, all uses together, to more than MAX_MACRO_GROWTH or the file's own size, whichever is more (a
 * macro doubled 24 times makes 678 bytes 200 MB). It reads the file as Citation.js's grammar does, adding up the
 * length of every value, with what each macro expands to, without expanding any. `defaults` are the macros
 * Citation.js knows without a definition (`jan`, `cacm`).
 */
export function checkBibtexSizes(text: string, name: string, defaults: Record<string, string>): void {
  const macros = new Map(Object.entries(defaults).map(([key, value]) => [key, value.length]));
  const growthLimit = Math.max(MAX_MACRO_GROWTH, text.length);
  let growth = 0;
  let at = 0;
  let counted = 0;
  let line = 1;
  const lineAt = (position: number) => {
    for (; counted < position; counted++) if (text.charCodeAt(counted) === 10) line++;
    return line;
  };
  const match = (pattern: RegExp): string | null => {
    pattern.lastIndex = at;
    const found = pattern.exec(text);
    if (found) at += found[0].length;
    return found ? found[0] : null;
  };
  const space = () => {
    while (match(SPACES) !== null || match(COMMENT) !== null);
  };
  const expect = (chars: string) => {
    if (!chars.includes(text[at] ?? '\u0000')) throw new Unfollowed();
    at++;
  };
  /** The length of a braced or quoted value's text (nested braces kept), past its opening brace or quote. */
  const literal = (quoted: boolean, depth: number): number => {
    if (depth > MAX_DEPTH) throw new InputError(`braces nested over ${MAX_DEPTH} deep: this is no BibTeX a tool writes`, name, lineAt(at));
    let length = 0;
    for (;;) {
      const c = text[at];
      if (c === undefined) throw new Unfollowed();
      if (c === (quoted ? '"' : '}')) {
        at++;
        return length;
      }
      if (c === '{') {
        at++;
        length += literal(false, depth + 1) + 2;
      } else if (c === '\\') {
        // \\ and \{ (and in braces \}) are text, not the end of it.
        const escaped = text[at + 1] === '\\' || text[at + 1] === '{' || (!quoted && text[at + 1] === '}');
        length += escaped ? 2 : 1;
        at += escaped ? 2 : 1;
      } else length += match(quoted ? QUOTED_TEXT : BRACED_TEXT)!.length;
    }
  };
  /** The expanded length of a value: its parts joined by `#`, macros as long as what they stand for. */
  const value = (what: () => string): number => {
    let length = 0;
    for (;;) {
      const start = at;
      const macro = match(IDENTIFIER);
      const number = macro === null ? match(NUMBER) : null;
      let part: number;
      if (macro !== null) {
        part = macros.get(macro.toLowerCase()) ?? 0;
        growth += part;
        if (growth > growthLimit) {
          throw new InputError(`@string macros expand to over ${growthLimit / MB} MB: refused as a macro bomb`, name, lineAt(start));
        }
      } else if (number !== null) part = String(parseInt(number, 10)).length;
      else if (text[at] === '"' || text[at] === '{') part = literal(text[at++] === '"', 1);
      else throw new Unfollowed();
      length += part;
      if (length > MAX_FIELD_CHARS) throw new InputError(`${what()} is over ${MAX_FIELD_CHARS / MB} MB, the most papers reads of a field`, name, lineAt(start));
      space();
      if (text[at] !== '#') return length;
      at++;
      space();
    }
  };
  /** `name = value`, the name lower-cased as Citation.js keys it. */
  const field = (what: (field: string) => string): [string, number] => {
    const key = match(IDENTIFIER);
    if (key === null) throw new Unfollowed();
    space();
    expect('=');
    space();
    return [key.toLowerCase(), value(() => what(key))];
  };
  try {
    while (at < text.length) {
      at = text.indexOf('@', at);
      if (at === -1) return;
      if (match(COMMENT_LINE) !== null) continue;
      at++;
      space();
      const other = match(OTHER_TYPE)?.toLowerCase();
      if (other === undefined && match(IDENTIFIER) === null) throw new Unfollowed();
      space();
      expect('{(');
      space();
      if (other === 'string') {
        const [key, length] = field((key) => `@string \`${key}\``);
        macros.set(key, length);
      } else if (other === 'preamble') {
        value(() => '@preamble');
      } else {
        const label = match(LABEL) ?? '';
        space();
        expect(',');
        space();
        while (text[at] !== undefined && /[a-zA-Z_]/.test(text[at]!)) {
          field((key) => `entry \`${label}\`: its \`${key.toLowerCase()}\``);
          space();
          if (text[at] !== ',') break;
          at++;
          space();
        }
      }
      space();
      expect('})');
    }
  } catch (error) {
    if (!(error instanceof Unfollowed)) throw error;
  }
}
