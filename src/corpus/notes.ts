import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureFolder, readError, writeError, writeFileAtomic } from './files.js';
import { isFolderCorpus } from './layout.js';
import { withLock } from './lock.js';

/*
 * A paper's note is a Markdown file of the user's own, `notes/<id>.md`, beside the corpus file (inside a corpus
 * folder, whose corpus files are only the YAML files directly in it). It is not a field of the corpus: no import,
 * pull, add or refresh reads or writes it, and a paper's id, never changed once given, keeps it its own.
 */

/** Notes by paper id. */
export type Notes = ReadonlyMap<string, string>;

const NOTE_FILE = /^([^.].*)\.md$/;

/** The folder that holds a corpus's notes. */
export function notesFolder(corpusPath: string): string {
  return isFolderCorpus(corpusPath) ? join(corpusPath, 'notes') : join(dirname(corpusPath), 'notes');
}

export function notePath(corpusPath: string, id: string): string {
  return join(notesFolder(corpusPath), `${id}.md`);
}

/** A note's text, or null when the paper has none (no file, or only blank lines in it). */
export function readNote(corpusPath: string, id: string): string | null {
  const path = notePath(corpusPath, id);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw readError(error, path, 'note');
  }
  return text.trim() === '' ? null : text;
}

/** Every note of the corpus, by paper id: one listing of the notes folder, and a read for each note there. */
export function readNotes(corpusPath: string): Notes {
  const notes = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(notesFolder(corpusPath));
  } catch {
    return notes;
  }
  for (const name of names) {
    const id = NOTE_FILE.exec(name)?.[1];
    if (id === undefined || !statSync(join(notesFolder(corpusPath), name), { throwIfNoEntry: false })?.isFile()) continue;
    const text = readNote(corpusPath, id);
    if (text !== null) notes.set(id, text);
  }
  return notes;
}

/** Adds a line at the end of a paper's note (made when it has none), under the note's lock: two adds keep both lines. */
export function appendToNote(corpusPath: string, id: string, line: string): void {
  const path = notePath(corpusPath, id);
  try {
    ensureFolder(dirname(path));
  } catch (error) {
    throw writeError(error, dirname(path), 'create the notes folder');
  }
  withLock(path, () => {
    const before = readNote(corpusPath, id) ?? '';
    const joint = before === '' || before.endsWith('\n') ? '' : '\n';
    writeFileAtomic(path, `${before}${joint}${line.replace(/\s+$/, '')}\n`);
  });
}

/** A note left with nothing in it is no note: its file is removed. */
export function dropEmptyNote(corpusPath: string, id: string): void {
  const path = notePath(corpusPath, id);
  if (statSync(path, { throwIfNoEntry: false })?.isFile() && readNote(corpusPath, id) === null) rmSync(path, { force: true });
}
