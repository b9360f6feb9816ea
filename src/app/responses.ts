import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ensureFolder, entryKind, holdsBytes, targetOf, writeError, writeNewFile } from '../corpus/files.js';
import { InputError } from '../base/errors.js';
import { isFolderCorpus, writerTag } from '../corpus/layout.js';

/** Today in UTC, as files are named. */
export const today = () => new Date().toISOString().slice(0, 10);

/** The folder beside the corpus (beside the real file, when the corpus is a link) that keeps fetched responses. */
function sourcesFolder(corpusPath: string): string {
  return join(homeOf(corpusPath), 'sources');
}

/** The folder a corpus lives in: the corpus folder itself, or the one holding the corpus file. */
function homeOf(corpusPath: string): string {
  return isFolderCorpus(corpusPath) ? targetOf(corpusPath) : dirname(targetOf(corpusPath));
}

/**
 * The `source` to record for a file: its path from the corpus's folder when it lies inside that folder
 * (`sources/hf-2026-11-26.json`, as `pull` records it, so that re-importing the kept responses rebuilds
 * the same corpus), else its name.
 */
export function sourceName(corpusPath: string, file: string): string {
  const folder = homeOf(corpusPath);
  const path = relative(folder, targetOf(file));
  const outside = path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path);
  return outside ? basename(file) : path.split(sep).join('/');
}

/**
 * Keeps a fetched response in the corpus's `sources/` folder (written whole or not at all), and returns
 * the `source` name papers record for it. A response already kept under its stem is reused; a kept file
 * is never replaced, nor written or read through a link. Beside a corpus file a new one is `<stem>.<ext>`,
 * then `<stem>-2.<ext>`, `-3`; in a corpus folder, which is shared through git, `<stem>-<tag>.<ext>` with
 * a random tag (see writerTag), so that two clones keeping the same day's responses add files of different
 * names. Anything but a regular file under such a name (a link, a FIFO) is left alone and told to `warn`;
 * `sources/` itself must be a folder, not a link, so that what is kept stays inside the corpus.
 */
export function keepResponse(corpusPath: string, stem: string, ext: string, body: Uint8Array, warn: (line: string) => void): string {
  const folder = sourcesFolder(corpusPath);
  const kind = entryKind(folder);
  if (kind !== null && kind !== 'a folder')
    throw new InputError(
      `${kind}, not a folder: fetched responses are kept only in a folder inside the corpus's own, never through a link; make it a folder`,
      folder,
    );
  try {
    ensureFolder(folder);
  } catch (error) {
    throw writeError(error, folder, 'make the folder');
  }
  const tell = (name: string, what: string) => warn(`${join(folder, name)}: ${what}, not a kept response; left alone`);
  const kept = readdirSync(folder).filter(
    (name) => name.startsWith(stem) && name.endsWith(`.${ext}`) && /^(?:|-\d+|-[a-z0-9]{6})$/.test(name.slice(stem.length, -ext.length - 1)),
  );
  for (const name of kept.sort()) {
    const what = entryKind(join(folder, name));
    if (what !== 'a file') {
      if (what !== null) tell(name, what);
      continue;
    }
    if (holdsBytes(join(folder, name), body)) return `sources/${name}`;
  }
  const tagged = isFolderCorpus(corpusPath);
  const reported = new Set(kept);
  const name = writeNewFile(
    folder,
    (n) => (tagged ? `${stem}-${writerTag()}.${ext}` : `${stem}${n === 1 ? '' : `-${n}`}.${ext}`),
    body,
    (name, what) => {
      if (!reported.has(name)) tell(name, what);
    },
  );
  return `sources/${name}`;
}
