// The choices of the formatting options, apart from their renderers so that the command line can offer
// them without loading any of them.
export const OUTPUT_FORMATS = ['table', 'tsv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const EXPORT_FORMATS = ['json', 'ndjson', 'csv', 'yaml', 'bibtex', 'markdown'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];
