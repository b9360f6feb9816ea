// C0 controls except tab and newline, DEL, and C1 controls: any of them can move the cursor, retitle the
// window or start an escape sequence when written to a terminal.
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// DEL and the C1 controls: what JSON.stringify and the yaml package write raw (one of them starts an
// escape sequence on some terminals).
const HIGH_CONTROL = /[\u007f-\u009f]/g;
const HAS_HIGH_CONTROL = /[\u007f-\u009f]/;
// Every control character, line breaks and tabs included.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

const hex = (c: string, digits: number) => c.charCodeAt(0).toString(16).padStart(digits, '0');

/**
 * The one rule for control characters in text from the data: shown as visible escapes. `terminal`: every
 * one that can drive a terminal, as `\xNN`; `high`: only DEL and C1, as `\xNN` (YAML) or `\u00NN` (JSON).
 */
export function escapeControls(text: string, which: 'terminal' | 'high' = 'terminal', notation: 'x' | 'u' = 'x'): string {
  return text.replace(which === 'terminal' ? TERMINAL_CONTROL : HIGH_CONTROL, (c) => (notation === 'x' ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

export function hasHighControl(text: string): boolean {
  return HAS_HIGH_CONTROL.test(text);
}

/** Runs of control characters, line breaks included, as one space: for formats that are one line a field. */
export function blankControls(text: string): string {
  return text.replace(ANY_CONTROL, ' ');
}

/** Control characters, line breaks included, removed: for values such as URLs where a space would be wrong too. */
export function stripControls(text: string): string {
  return text.replace(ANY_CONTROL, '');
}
