// The choices of the formatting options, apart from their renderers so that the command line can offer
// them without loading any of them.
export const OUTPUT_FORMATS = ['table', 'tsv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const EXPORT_FORMATS = ['json', 'ndjson', 'csv', 'yaml', 'bibtex', 'csl-json', 'ris', 'markdown'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Citation keys of BibTeX, CSL JSON and RIS: the key a paper came with (from a .bib file) else its id, the paper
 * ids, or `cheng2024videollama` (surname, year, title word).
 */
export const KEY_STYLES = ['original', 'id', 'authoryear'] as const;
export type KeyStyle = (typeof KEY_STYLES)[number];

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];
