import { accessSync, constants, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError, type PapersError } from '../base/errors.js';
import { ensureFolder, readError, writeFileAtomic } from './files.js';
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
function notesFolder(corpusPath: string): string {
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
    // No notes folder, or a file where it should be: no note.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw readError(error, path, 'note');
  }
  return text.trim() === '' ? null : text;
}

/**
 * Every note of the corpus, by paper id: one listing of the notes folder, and a read for each note there.
 * A note (or a notes folder) that cannot be read is an error, unless `skip` is given: it is then told why, and
 * the others are read.
 */
export function readNotes(corpusPath: string, skip?: (error: PapersError) => void): Notes {
  const notes = new Map<string, string>();
  const folder = notesFolder(corpusPath);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return notes;
    const failure = new InputError(`cannot read the notes folder: ${reasonOf(error)}`, folder);
    if (!skip) throw failure;
    skip(failure);
    return notes;
  }
  for (const name of names) {
    const id = NOTE_FILE.exec(name)?.[1];
    if (id === undefined || !statSync(join(folder, name), { throwIfNoEntry: false })?.isFile()) continue;
    try {
      const text = readNote(corpusPath, id);
      if (text !== null) notes.set(id, text);
    } catch (error) {
      if (!skip || !(error instanceof InputError)) throw error;
      skip(error);
    }
  }
  return notes;
}

/** Why a note cannot be written, in words: the file system's own reason. */
function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOSPC') return 'no space left on the device';
  return code ?? String(error);
}

/**
 * Makes the notes folder when it is missing and checks that the paper's note can be written: in place by an
 * editor (`inPlace`), or replaced whole, as `appendToNote` does, which needs the folder writable too. A
 * read-only place is refused with one line before an editor is started or a lock taken.
 */
export function prepareNote(corpusPath: string, id: string, inPlace: boolean): void {
  const folder = notesFolder(corpusPath);
  const stat = statSync(folder, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new InputError('is a file, not a folder: notes are kept in a folder notes/ beside the corpus; move the file away', folder);
  try {
    ensureFolder(folder);
  } catch (error) {
    throw new InputError(`cannot make the notes folder: ${reasonOf(error)}`, folder);
  }
  const path = notePath(corpusPath, id);
  const note = statSync(path, { throwIfNoEntry: false });
  if (note && !note.isFile()) throw new InputError('is not a regular file (a note is a Markdown file); move it away', path);
  const needed = note && inPlace ? [path] : note ? [path, folder] : [folder];
  for (const place of needed) {
    try {
      accessSync(place, constants.W_OK);
    } catch (error) {
      throw new InputError(`${place === path ? 'cannot write the note' : 'cannot write in the notes folder'}: ${reasonOf(error)}`, place);
    }
  }
}

/** Adds a line at the end of a paper's note (made when it has none), under the note's lock: two adds keep both lines. */
export function appendToNote(corpusPath: string, id: string, line: string): void {
  const path = notePath(corpusPath, id);
  prepareNote(corpusPath, id, false);
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
