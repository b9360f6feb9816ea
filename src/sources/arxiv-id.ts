import { ARXIV_ID } from '../corpus/paper.js';

/** An arXiv identifier and, when the reference gave one, its version. */
export interface ArxivRef {
  id: string;
  version: number | null;
}

// The id, then an optional version: 2410.17243v2, hep-th/9901001v1.
const ID_AND_VERSION = new RegExp(`^(${ARXIV_ID})(?:v(\\d+))?$`);
const DOI_PREFIX = /^10\.48550\/arxiv\./i;

/** A part of a URL with its %-escapes decoded; as written when they are not valid escapes (`%zz`). */
export function decodeUrlPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * The arXiv id in a reference as people write it: `2410.17243`, `2410.17243v2`, `arXiv:2410.17243`,
 * `hep-th/9901001`, an arxiv.org abs/pdf URL, a Hugging Face paper URL, or the arXiv DOI
 * `10.48550/arXiv.2410.17243`. Null when it is none of those.
 */
export function parseArxivRef(reference: string): ArxivRef | null {
  let text = reference.trim();
  const url = /^https?:\/\/(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf)|huggingface\.co\/papers)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i.exec(text);
  if (url) text = decodeUrlPart(url[1]!);
  else if (/^https?:\/\/(?:dx\.)?doi\.org\//i.test(text)) text = text.replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, '');
  text = text.replace(/^arxiv:/i, '').replace(DOI_PREFIX, '');
  const match = ID_AND_VERSION.exec(text);
  if (!match) return null;
  return { id: match[1]!, version: match[2] ? Number(match[2]) : null };
}

/** A "journal" that names arXiv itself, not a venue: Google Scholar's "arXiv preprint arXiv:...", DBLP's "CoRR". */
export const isArxivVenue = (journal: string) => /^(?:arxiv|corr)\b|\barxiv preprint\b/i.test(journal);
