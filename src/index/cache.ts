import { lstatSync, readdirSync, rmSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fingerprint, FORMAT, sameSource, type Fingerprint } from './cache-file.js';
import { isPrivate, openSectioned, textOf, textSection, writeSectioned } from './container.js';

export function cacheDir(env: NodeJS.ProcessEnv): string {
  const chosen = env.PAPERS_CACHE_DIR
    ? resolve(env.PAPERS_CACHE_DIR)
    : join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(env.HOME || homedir(), '.cache'), 'papers');
  let dir = ownFolders.get(chosen);
  if (dir === undefined) {
    // A folder others may write to (a shared PAPERS_CACHE_DIR, /tmp) holds this user's caches in a folder of their own.
    let stat: Stats | undefined;
    try {
      stat = statSync(chosen, { throwIfNoEntry: false });
    } catch {
      // Out of reach (a folder above it is closed to this user): the cache is then not used.
    }
    dir = stat?.isDirectory() && !isPrivate(stat) ? join(chosen, `user-${process.getuid?.()}`) : chosen;
    ownFolders.set(chosen, dir);
  }
  return dir;
}

const ownFolders = new Map<string, string>();

/** One cache file per corpus file, named by the corpus's absolute path. */
export function cachePath(corpusPath: string, env: NodeJS.ProcessEnv): string {
  const key = pathKey(resolve(corpusPath));
  return join(cacheDir(env), `corpus-${key}.cache`);
}

/** Two 32-bit FNV-1a hashes of the path: a file name per corpus without loading node:crypto. */
function pathKey(path: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ path.length;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export function clearCache(env: NodeJS.ProcessEnv): number {
  const dir = cacheDir(env);
  let removed = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/^(?:\.)?corpus-[0-9a-f]{16}\.cache/.test(name)) continue;
    // Only files papers wrote: a folder that happens to have such a name is not ours to delete.
    if (!lstatSync(join(dir, name), { throwIfNoEntry: false })?.isFile()) continue;
    rmSync(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

const DERIVED_SECTIONS = ['value'] as const;

/**
 * A value worked out from the whole corpus (the keywords of `stats`), kept beside its cache under `name`
 * for the corpus in this exact state, with a checksum; null when there is none, it is damaged, or the corpus
 * has changed since.
 */
export function readDerived<T>(cacheFile: string, name: string, corpusStat: Stats): T | null {
  try {
    const opened = openSectioned<'value', { format: number; source: Fingerprint }>(
      `${cacheFile}.${name}`,
      DERIVED_SECTIONS,
      (header) => header.format === FORMAT && sameSource(header.source, fingerprint(corpusStat)),
    );
    return opened ? (JSON.parse(textOf(opened.read('value'))) as T) : null;
  } catch {
    return null;
  }
}

export function writeDerived(cacheFile: string, name: string, corpusStat: Stats, value: unknown): void {
  try {
    writeSectioned(`${cacheFile}.${name}`, { format: FORMAT, source: fingerprint(corpusStat) }, DERIVED_SECTIONS, {
      value: textSection(JSON.stringify(value)),
    });
  } catch {
    // Only time is lost: the value is worked out again next time.
  }
}
