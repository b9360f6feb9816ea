import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import type { Context } from './context.js';
import type { CommandSpec } from './commands/completion.js';
import { PapersError } from './errors.js';
import { QUERY_HELP } from './search/query.js';
import { processIo, sanitize, type ColorMode, type Io } from './terminal.js';

declare const PAPERS_VERSION: string | undefined;
const VERSION = typeof PAPERS_VERSION === 'string' ? PAPERS_VERSION : '0.0.0-dev';

/** The shipped corpus, found beside the installed package rather than in the current directory. */
export const DEFAULT_CORPUS = fileURLToPath(new URL('../corpus/papers.yaml', import.meta.url));

const EXAMPLES = `
Examples:
  papers search hypernetwork              rank papers by title and abstract
  papers search "layer normalization" -vision
  papers list --sort title --limit 20
  papers show hopfield-networks-all-you-need
  papers related magnitude-invariant
  papers search gnn | cut -f1 | xargs -n1 papers show
  papers export --format csv --has-code -o papers.csv
  papers export --format bibtex --query hypernetwork > refs.bib
  papers import digest.txt --dry-run

Exit status: 0 found, 1 nothing found, 2 usage or input error.`;

const formatOption = () => new Option('--format <format>', 'table, tsv or json (default: table on a terminal, tsv in a pipe)');

interface GlobalOptions {
  corpus?: string;
  cache: boolean;
  color: ColorMode;
  debug?: boolean;
}

function buildProgram(run: (load: (context: Context) => Promise<void>) => Promise<void>, io: () => Io): Command {
  const program = new Command('papers')
    // Set before the subcommands are added, so they inherit it: errors are reported once, by `report`.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io().stdout.write(text),
      writeErr: (text) => io().stderr.write(text),
      outputError: () => undefined,
    })
    .description('Search, read and export a local corpus of ML papers.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--corpus <file>', 'corpus YAML file').env('PAPERS_CORPUS'))
    .addOption(new Option('--color <when>', 'colour output').choices(['auto', 'always', 'never']).default('auto'))
    .option('--no-cache', 'read the corpus YAML directly, without the derived cache (also PAPERS_NO_CACHE=1)')
    .option('--debug', 'show stack traces for errors')
    .showSuggestionAfterError()
    .addHelpText('after', EXAMPLES);

  program
    .command('search')
    .description('fuzzy search titles and abstracts; every word must match')
    .argument('<query...>', 'words, "phrases", -excluded, title:word, a | b, has:code')
    .option('-n, --limit <n>', `most results to show (default: 10)`)
    .option('-a, --all', 'show every result')
    .addOption(formatOption())
    .action((words: string[], options) =>
      run(async (context) => (await import('./commands/search.js')).search(context, words, options)),
    )
    .addHelpText('after', `\n${QUERY_HELP}`);

  program
    .command('related')
    .description('papers most like one paper (TF-IDF cosine over title and abstract)')
    .argument('<id>', 'paper id, or the start of one')
    .option('-n, --limit <n>', 'most results to show (default: 10)')
    .addOption(formatOption())
    .action((id: string, options) => run(async (context) => (await import('./commands/related.js')).related(context, id, options)));

  program
    .command('list')
    .description('list the papers in the corpus')
    .option('-n, --limit <n>', 'show at most n papers')
    .option('-s, --sort <key>', 'sort by id, title, date or corpus (the file order)', 'corpus')
    .option('-r, --reverse', 'reverse the order')
    .option('--has-code', 'only papers with a code repository')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('./commands/list.js')).list(context, options)));

  program
    .command('show')
    .description('show one paper in full')
    .argument('<id>', 'paper id, or the start of one')
    .option('--highlight <query>', 'highlight the words of a query')
    .addOption(new Option('--format <format>', 'tsv or json (default: the paper as text)'))
    .action((id: string, options) => run(async (context) => (await import('./commands/show.js')).show(context, id, options)));

  program
    .command('export')
    .description('write papers as JSON, NDJSON, CSV, YAML, BibTeX or a Markdown reading list')
    .option('-f, --format <format>', 'json, ndjson, csv, yaml, bibtex or markdown', 'json')
    .option('-q, --query <query>', 'only papers matching a search query, best first')
    .option('--has-code', 'only papers with a code repository')
    .option('--fields <list>', 'comma-separated fields: id,title,date,code,links,source,abstract')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--no-formula-guard', "CSV: keep cells starting with = + - @ as they are (by default they get a leading ')")
    .action((options) => run(async (context) => (await import('./commands/export.js')).exportPapers(context, options)));

  program
    .command('import')
    .description('add the papers of a scraped digest to the corpus')
    .argument('<digest>', 'digest text file, or - for standard input')
    .option('--dry-run', 'show what would be added without writing')
    .option('--source <name>', 'source name to record (default: the file name)')
    .action((file: string, options) => run(async (context) => (await import('./commands/import.js')).importDigest(context, file, options)));

  program
    .command('stats')
    .description('how many papers, per digest date, with code, and the most frequent keywords')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('./commands/stats.js')).stats(context, options)));

  const cache = program.command('cache').description('the derived index that makes reading the corpus fast');
  cache
    .command('path')
    .description('print where the cache of the corpus is kept')
    .action(() => run(async (context) => (await import('./commands/cache.js')).cachePathCommand(context)));
  cache
    .command('clear')
    .description('delete every cached index (they are rebuilt when next needed)')
    .action(() => run(async (context) => (await import('./commands/cache.js')).clearCacheCommand(context)));

  program
    .command('completion')
    .description('print a shell completion script (commands, options, paper ids)')
    .argument('<shell>', 'bash, zsh or fish')
    .action((shell: string) =>
      run(async (context) => {
        const { completion } = await import('./commands/completion.js');
        await completion(context, shell, describe(program, 'none'), program.commands.map((c) => describe(c, ARGUMENTS[c.name()] ?? 'none')));
      }),
    );

  return program;
}

// What each command's argument is, for completion.
const ARGUMENTS: Record<string, CommandSpec['argument']> = { search: 'text', show: 'id', related: 'id', import: 'file', completion: 'shell' };

// Values of options that the commands check themselves, for completion.
const VALUES: Record<string, string[]> = {
  'export --format': ['json', 'ndjson', 'csv', 'yaml', 'bibtex', 'markdown'],
  'list --sort': ['id', 'title', 'date', 'corpus'],
  '--format': ['table', 'tsv', 'json'],
};

function describe(command: Command, argument: CommandSpec['argument']): CommandSpec {
  const options = command.options
    .filter((o) => !o.hidden)
    .map((o) => {
      const choices = o.argChoices ?? VALUES[`${command.name()} ${o.long}`] ?? VALUES[o.long ?? ''];
      return { flags: [o.short, o.long].filter((f): f is string => Boolean(f)), value: o.required || o.optional, ...(choices ? { choices } : {}) };
    });
  if (command.parent === null) options.push({ flags: ['-h', '--help'], value: false });
  return { name: command.parent === null ? '' : command.name(), options, argument };
}

function oneLineMessage(message: string): string {
  // Messages quote file names and digest text: nothing in them may drive the terminal.
  return sanitize(message)
    .replace(/^error: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

// Options of `search` and the global ones, with whether they take a value.
const SEARCH_FLAGS: Record<string, boolean> = {
  '-n': true, '--limit': true, '-a': false, '--all': false, '--format': true, '-h': false, '--help': false,
  '--corpus': true, '--color': true, '--debug': false, '--no-cache': false,
};

/**
 * `papers search continual learning -pretrained`: a dash-word after `search` is an excluded query word,
 * not an unknown option. Known options are kept in front; everything else becomes query words after `--`.
 */
export function separateQueryWords(argv: string[]): string[] {
  let at = 0;
  while (at < argv.length && argv[at]!.startsWith('-')) at += SEARCH_FLAGS[argv[at]!] ? 2 : 1;
  if (argv[at] !== 'search') return argv;
  const options: string[] = [];
  const words: string[] = [];
  for (let i = at + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    const flag = arg.startsWith('--') ? arg.split('=')[0]! : arg.slice(0, 2);
    const known = arg.startsWith('-') && flag in SEARCH_FLAGS && (arg.startsWith('--') || arg.length === 2 || SEARCH_FLAGS[flag]);
    if (!known) {
      words.push(arg);
      continue;
    }
    options.push(arg);
    if (SEARCH_FLAGS[flag] && arg === flag && i + 1 < argv.length) options.push(argv[++i]!);
  }
  return [...argv.slice(0, at + 1), ...options, '--', ...words];
}

/** Runs one command line and returns the exit code; the only place that knows about exit codes. */
export async function main(argv: string[], makeIo: (color: ColorMode) => Io = processIo): Promise<number> {
  let io: Io = makeIo('auto');
  let debug = argv.includes('--debug');
  let exitCode = 0;
  const program: Command = buildProgram(async (command) => {
    const options = program.opts<GlobalOptions>();
    io = makeIo(options.color);
    debug = Boolean(options.debug);
    const cache = options.cache && !['1', 'true', 'yes'].includes((io.env.PAPERS_NO_CACHE ?? '').toLowerCase());
    await command({ io, corpusPath: options.corpus ?? DEFAULT_CORPUS, cache });
  }, () => io);
  try {
    await program.parseAsync(separateQueryWords(argv), { from: 'user' });
  } catch (error) {
    exitCode = report(error, io, debug);
  }
  return exitCode;
}

function report(error: unknown, io: Io, debug: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') return 2;
    io.stderr.write(`papers: ${oneLineMessage(error.message)} (see papers --help)\n`);
    return 2;
  }
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

function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  return /(?:^|[\\/])(?:papers|cli\.(?:js|ts))$/.test(entry);
}

if (isEntry()) {
  // `papers list | head -1` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2));
}
