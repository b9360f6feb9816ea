import { UsageError } from '../errors.js';

/**
 * A command held in an environment variable ($BROWSER, $VISUAL, $EDITOR) in words, as a shell would split it but
 * expanding nothing: quotes and backslashes only. `variable` and `whole` (its full value) name it in an error.
 */
export function commandWords(command: string, variable: string, whole = command): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let at = 0; at < command.length; at++) {
    const c = command[at]!;
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      const end = c === "'" ? command.indexOf("'", at + 1) : closingDoubleQuote(command, at + 1);
      if (end < 0) throw new UsageError(`${variable} has an unmatched quote: \`${whole}\``);
      const quoted = command.slice(at + 1, end);
      word = (word ?? '') + (c === '"' ? quoted.replace(/\\([\\"$`])/g, '$1') : quoted);
      at = end;
    } else {
      // A backslash quotes the next character, except on Windows, where it separates folders.
      word = (word ?? '') + (c === '\\' && at + 1 < command.length && process.platform !== 'win32' ? command[++at]! : c);
    }
  }
  if (word !== null) words.push(word);
  return words;
}

function closingDoubleQuote(text: string, from: number): number {
  for (let at = from; at < text.length; at++) {
    if (text[at] === '\\') at++;
    else if (text[at] === '"') return at;
  }
  return -1;
}
