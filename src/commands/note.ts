import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { findPaperByRef, loadCorpusView, readRefs, type Context } from '../app/context.js';
import { appendToNote, dropEmptyNote, notePath, prepareNote, readNote } from '../corpus/notes.js';
import { NotFoundError, PapersError, UsageError } from '../base/errors.js';
import { sanitizeLines } from '../base/terminal.js';
import { commandWords } from '../base/text/command-line.js';

export interface NoteOptions {
  add?: string;
  print?: boolean;
}

/** `papers note <ref>`: the paper's note in the user's editor; `--add` appends a line, `--print` prints it. */
export async function note(context: Context, ref: string, options: NoteOptions): Promise<void> {
  const corpus = await loadCorpusView(context);
  const named = await readRefs(context, [ref]);
  if (named.length !== 1) {
    throw new UsageError(`a note is of one paper: standard input named ${named.length === 0 ? 'none' : named.length}; give one id, arXiv id, DOI or URL`);
  }
  const { id } = await findPaperByRef(corpus, named[0]!);
  const { corpusPath, io } = context;
  if (options.print) {
    const text = readNote(corpusPath, id);
    if (text === null) throw new NotFoundError(`\`${id}\` has no note; write one with papers note ${id}, or papers note ${id} --add TEXT`);
    const shown = text.endsWith('\n') ? text : `${text}\n`;
    // A terminal is shown the note's control characters as escapes; a pipe gets it byte for byte.
    io.stdout.write(io.isTTY ? sanitizeLines(shown) : shown);
    return;
  }
  if (options.add !== undefined) {
    if (options.add.trim() === '') throw new UsageError('--add needs the text to add to the note');
    appendToNote(corpusPath, id, options.add);
    return;
  }
  prepareNote(corpusPath, id, true);
  try {
    await edit(resolve(notePath(corpusPath, id)), io.env);
  } finally {
    dropEmptyNote(corpusPath, id);
  }
}

/** The editor the user chose: $VISUAL, else $EDITOR, else vi; in words, with no shell in between. */
function editorCommand(env: NodeJS.ProcessEnv): { variable: string; words: string[] } {
  for (const variable of ['VISUAL', 'EDITOR']) {
    const value = env[variable];
    if (value === undefined || value.trim() === '') continue;
    const words = commandWords(value, variable);
    if (words.length > 0) return { variable, words };
  }
  return { variable: 'vi', words: ['vi'] };
}

/** Runs the editor on the file, on this terminal, and waits for it to finish. */
function edit(path: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { variable, words } = editorCommand(env);
  const [program, ...args] = words as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args, path], { stdio: 'inherit', env, shell: false });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const advice = variable === 'vi' ? 'set VISUAL or EDITOR to your editor' : `check ${variable}`;
      reject(new PapersError(`cannot run the editor \`${program}\` (${error.code ?? error.message}); ${advice}`, 2));
    });
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new PapersError(`the editor \`${program}\` failed (${signal ? `killed by ${signal}` : `exit status ${code}`}); the note is as it left it`, 1));
    });
  });
}
