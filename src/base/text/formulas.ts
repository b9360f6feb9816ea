// A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const GUARDED = /^'(?=[=+\-@\t\r])/;

/** A CSV cell a spreadsheet shows as text: a formula's first character behind a `'`. */
export const guardFormula = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

/** The text guardFormula was given: a CSV export read back. */
export const unguardFormula = (text: string) => text.replace(GUARDED, '');
