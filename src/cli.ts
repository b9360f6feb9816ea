import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { resolveCorpusPath } from './corpus/layout.js';
import { CacheDamaged, Cancelled, OutputClosed, PapersError, symlinkLoop, UsageError } from './base/errors.js';
import { sanitize, type ColorMode, type Io } from './base/terminal.js';
import { refuseUnknownHelpTopic, separateQueryWords } from './cli/argv.js';
import { buildProgram, type GlobalOptions } from './cli/program.js';

/** The shipped corpus, found beside the installed package rather than in the current directory. */
const DEFAULT_CORPUS = fileURLToPath(new URL('../corpus/papers.yaml', import.meta.url));

function oneLineMessage(message: string): string {
  // Messages quote file names and digest text: nothing in them may drive the terminal.
  return sanitize(message)
    .replace(/^error: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

/** The terminal, noting whether anything was written to stdout yet. */
function watched(io: Io): Io & { wrote: boolean } {
  // Built on io, not copied from it: its stdin is a getter that sets up a stream only when asked for.
  const result = Object.create(io) as Io & { wrote: boolean };
  result.wrote = false;
  result.stdout = { write: (text: string) => ((result.wrote = true), io.stdout.write(text)) };
  return result;
}

// Runs of a command with the cache, each after removing a damaged cache file, before one without it.
const CACHE_ATTEMPTS = 3;

/** Runs one command line and returns its exit code: the only place that maps errors to exit codes. */
export async function run(argv: string[], makeIo: (color: ColorMode) => Io): Promise<number> {
  let io: Io = makeIo('auto');
  let debug = argv.includes('--debug');
  const program: Command = buildProgram(
    async (command) => {
      const options = program.opts<GlobalOptions>();
      io = makeIo(options.color);
      debug = Boolean(options.debug);
      const cache = options.cache && !['1', 'true', 'yes'].includes((io.env.PAPERS_NO_CACHE ?? '').toLowerCase());
      // An empty PAPERS_CORPUS is the same as none (as shells leave it); an empty --corpus is a mistake.
      if (options.corpus === '' && program.getOptionValueSource('corpus') !== 'env') throw new UsageError('--corpus needs a file or folder name');
      const context = { io: watched(io), corpusPath: resolveCorpusPath(options.corpus || DEFAULT_CORPUS), cache };
      for (let attempt = 1; ; attempt++) {
        try {
          return await command(context);
        } catch (error) {
          // A damaged cache is removed where it is found; run again, the command rebuilds it from the YAML.
          if (!(error instanceof CacheDamaged) || context.io.wrote || !context.cache) throw error;
          // Each attempt removes one damaged file; past a few, the last runs from the YAML alone.
          if (attempt >= CACHE_ATTEMPTS) context.cache = false;
        }
      }
    },
    () => io,
  );
  try {
    refuseUnknownHelpTopic(program, argv);
    await program.parseAsync(separateQueryWords(program, argv), { from: 'user' });
    return 0;
  } catch (error) {
    return report(error, io, debug);
  }
}

function report(error: unknown, io: Io, debug: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    // `papers help search` asked for help (0); bare `papers` asked for nothing and gets help on stderr (2).
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2;
    if (error.code === 'commander.executeSubCommandAsync') return 2;
    io.stderr.write(`papers: ${oneLineMessage(error.message)} (see papers --help)\n`);
    return 2;
  }
  if (error instanceof OutputClosed) return 0;
  if (error instanceof Cancelled) return error.exitCode;
  // Links that lead back to themselves, met wherever a path is looked at (the corpus, a file of a folder, the input, -o).
  const { code, path } = error as NodeJS.ErrnoException;
  if (code === 'ELOOP' && path !== undefined) error = symlinkLoop(path);
  if (error instanceof PapersError) {
    io.stderr.write(`papers: ${oneLineMessage(error.message)}\n`);
    if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`papers: unexpected error: ${oneLineMessage(message)}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return 2;
}
