// The most any reader takes from an input, so that no file, pipe or gzip stream can make papers run for minutes
// or fill memory: each limit is far above what real data reaches, and an input past one is refused in one line.

const MB = 1024 * 1024;

/** A metadata record is a few kilobytes (collaboration papers with thousands of authors reach a megabyte). */
export const MAX_LINE_BYTES = 16 * MB;

/** An abstract is a few kilobytes; a BibTeX field, feed element or digest paragraph past this is no paper's. */
export const MAX_FIELD_CHARS = 2 * MB;

/** What @string macros may expand to, all uses together: this, or the file's own size when larger (a real .bib's add kilobytes). */
export const MAX_MACRO_GROWTH = 16 * MB;

/** An arXiv API feed nests elements five deep, BibTeX braces nest two or three: deeper is refused before it is walked. */
export const MAX_DEPTH = 64;
/** Atom elements carry a few attributes each. */
export const MAX_XML_ATTRIBUTES = 256;
/** The elements a feed's papers are read from: 2,000 entries (the most the arXiv API sends at a time) have some 50,000. */
export const MAX_XML_ELEMENTS = 500_000;

/** References read from standard input (`papers show -`): half a million ids. */
export const MAX_REFS_BYTES = 16 * MB;

/** Formats read whole (all but arXiv JSON Lines) hold their text in memory: a digest, feed or .bib is far smaller. */
export const MAX_TEXT_BYTES = 256 * MB;

/**
 * Gzip data inflates freely up to this, and past it at most MAX_GZIP_RATIO times the compressed bytes read: the
 * arXiv snapshot inflates 3:1, while a bomb of blank lines inflates 1000:1.
 */
export const GZIP_FREE_BYTES = 1024 * MB;
export const MAX_GZIP_RATIO = 100;
