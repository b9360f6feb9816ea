import { basename, dirname, resolve } from 'node:path';
import { sameFile, targetOf, writeFileAtomic, type Content } from '../corpus/files.js';
import { findPaper } from '../corpus/ids.js';
import { corpusFiles, isCorpusFileName, isFolderCorpus, lockTarget, watchFile } from '../corpus/layout.js';
import { lockFile } from '../corpus/lock.js';
import type { Paper } from '../corpus/paper.js';
import { NotFoundError, UsageError } from '../base/errors.js';
import { cachePath } from '../index/cache.js';
import { openCorpus } from '../index/open.js';
import type { CorpusView } from '../index/types.js';
import type { OutputFormat } from '../render/formats.js';
import { renderJson } from '../render/json.js';
import type { Rows } from '../render/cells.js';
import { renderRows } from '../render/rows.js';
import { decodeUrlPart, parseArxivRef } from '../sources/arxiv-id.js';
import { decodeStream } from '../sources/decode.js';
import { MAX_REFS_BYTES } from '../sources/limits.js';
import type { Io } from '../base/terminal.js';

/** What every command gets: the outside world, the corpus file, and whether to use the derived cache. */
export interface Context {
  io: Io;
  corpusPath: string;
  /** Read and keep the derived cache; off with --no-cache or PAPERS_NO_CACHE=1. */
  cache: boolean;
}

export const DEFAULT_LIMIT = 10;

/** The cache file of the context's corpus (or of one file of a corpus folder), or null when the cache is off. */
export function cacheFileOf(context: Context, file = context.corpusPath): string | null {
  return context.cache ? cachePath(file, context.io.env) : null;
}

export function loadCorpusView(context: Context): Promise<CorpusView> {
  return openCorpus(context.corpusPath, context.cache, context.io);
}

/** The one output switch for lists: JSON when asked, else a table on a terminal or TSV in a pipe. */
export async function writeRows(context: Context, format: OutputFormat, rows: Rows, json: () => unknown): Promise<void> {
  context.io.stdout.write(format === 'json' ? renderJson(json()) : await renderRows(context.io, format, rows));
}

/** An output path that is the corpus itself, however spelled, would replace every paper with an export. */
export function refuseCorpus(context: Context, path: string): void {
  if (sameFile(path, context.corpusPath)) throw new UsageError(`\`${path}\` is the corpus itself; write the export to another file`);
  // Its lock, or a cache of it (or a file kept beside one), written over, would let two imports write at once or be read as an index.
  const target = targetOf(path);
  const own = (file: string) => sameFile(path, file) || target.startsWith(`${targetOf(file)}.`);
  if (own(lockFile(lockTarget(context.corpusPath)))) throw new UsageError(`\`${path}\` is the corpus's lock file; write the export to another file`);
  if (sameFile(path, watchFile(context.corpusPath))) throw new UsageError(`\`${path}\` is the corpus's saved searches; write the export to another file`);
  const folder = isFolderCorpus(context.corpusPath);
  const caches = [context.corpusPath, ...(folder ? corpusFiles(context.corpusPath).map((file) => file.path) : [])].map((file) =>
    cachePath(file, context.io.env),
  );
  if (caches.some(own)) throw new UsageError(`\`${path}\` is a cache file of the corpus; write the export to another file`);
  // In a corpus folder, a YAML file is part of the corpus: an export written there, by its name or through a
  // link (one that points to no file yet too), would join it.
  const joins = (file: string) => /\.ya?ml$/.test(file) && sameFile(dirname(resolve(file)), context.corpusPath);
  if (folder && (joins(path) || (isCorpusFileName(basename(target)) && joins(target)))) {
    throw new UsageError(`\`${path}\` would become part of the corpus folder; write the export outside it`);
  }
}

/** A file the user asked for (`-o`): never the corpus, and written as every file is (see writeFileAtomic). */
export function writeOutputFile(context: Context, path: string, content: Content): void {
  refuseCorpus(context, path);
  writeFileAtomic(path, content);
}

/**
 * The references on the command line, with `-` replaced by standard input's lines: blank lines and # comments
 * left out, and only a line's first tab-separated field read, so that `papers search x | papers show -` works.
 */
export async function readRefs(context: Context, refs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const ref of refs) {
    if (ref !== '-') {
      out.push(ref);
      continue;
    }
    const text = await decodeStream(context.io.stdin as AsyncIterable<Uint8Array>, 'standard input', { maxBytes: MAX_REFS_BYTES, what: 'references' });
    for (const line of text.split(/\r?\n/)) {
      const first = line.split('\t', 1)[0]!.trim();
      if (first && !first.startsWith('#')) out.push(first);
    }
  }
  return out;
}

// A DOI as people write it: 10.1234/abc, doi:10.1234/abc, https://doi.org/10.1234/abc.
const DOI_REF = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i;

/** A URL as written, and as found in the corpus: the scheme, `www.`, the host's case and a final slash make no difference. */
const sameUrl = (url: string) => url.replace(/^https?:\/\/(?:www\.)?([^/?#]*)/i, (_, host: string) => host.toLowerCase()).replace(/\/+$/, '');

/**
 * The paper a reference names, in any form a user has at hand: its id, a unique start of its id, its arXiv id
 * (any version, old style too) or an arxiv.org or Hugging Face URL of it, its DOI or a doi.org URL, or its own
 * URL. Unknown or ambiguous: the error `findPaper` gives (ids suggested), or one naming the reference.
 */
export async function findPaperByRef(corpus: CorpusView, ref: string): Promise<{ id: string; doc: number }> {
  // No id has a dot, a slash or a colon, so no id is read as one of the other forms.
  const text = ref.trim();
  if (!text) throw new UsageError('an empty reference names no paper');
  const arxiv = parseArxivRef(text)?.id;
  const doiText = DOI_REF.exec(decodeUrlPart(text))?.[1];
  const doi = doiText?.toLowerCase();
  if (arxiv || doi) {
    const keyed = corpus.keysMatching({ arxiv: new Set(arxiv ? [arxiv] : []), doi: new Set(doi ? [doi] : []), title: new Set() });
    const match = keyed.find(([, keys]) => arxiv && keys.arxiv === arxiv) ?? keyed.find(([, keys]) => doi && keys.doi?.toLowerCase() === doi);
    if (match) return { id: match[1].id, doc: match[0] };
    throw new NotFoundError(
      arxiv ? `no paper with arXiv id ${arxiv} in the corpus (papers add ${arxiv} adds it)` : `no paper with DOI ${doiText} in the corpus`,
    );
  }
  if (/^https?:\/\//i.test(text)) {
    const wanted = sameUrl(text);
    let doc = 0;
    for (const chunk of corpus.chunks()) {
      for (const paper of chunk) {
        if ([paper.url, paper.pdf].some((url) => url && sameUrl(url) === wanted)) return { id: paper.id, doc };
        doc++;
      }
    }
    throw new NotFoundError(`no paper with URL ${text} in the corpus`);
  }
  return findPaper(corpus, text);
}

/** The papers the references name, in their order; the first that names none stops the command. */
export async function papersByRef(context: Context, corpus: CorpusView, refs: string[]): Promise<Paper[]> {
  const named = await readRefs(context, refs);
  if (named.length === 0) throw new UsageError('no paper named: give ids, arXiv ids, DOIs or URLs, or - to read them from standard input');
  const papers: Paper[] = [];
  for (const ref of named) papers.push(corpus.paper((await findPaperByRef(corpus, ref)).doc));
  return papers;
}
