import { fileURLToPath } from 'node:url';
import { Argument, Command, CommanderError, Help, Option } from 'commander';
import type { Context } from './app/context.js';
import { parseFields, parseTags, PAPER_FIELDS } from './corpus/paper.js';
import { parseDay } from './corpus/dates.js';
import { resolveCorpusPath } from './corpus/layout.js';
import { SORT_KEYS } from './corpus/sort.js';
import { CacheDamaged, Cancelled, OutputClosed, PapersError, symlinkLoop, UsageError, unknownChoice } from './base/errors.js';
import type { CommandSpec } from './render/completion.js';
import { EXPORT_FORMATS, KEY_STYLES, OUTPUT_FORMATS, SHELLS } from './render/formats.js';
import { parseReadings, QUERY_HELP } from './search/query.js';
import { notImported, PAPERS_EXPORTS, SOURCE_FORMATS } from './sources/types.js';
import { sanitize, type ColorMode, type Io } from './base/terminal.js';
import { VERSION } from './base/version.js';

/** The shipped corpus, found beside the installed package rather than in the current directory. */
const DEFAULT_CORPUS = fileURLToPath(new URL('../corpus/papers.yaml', import.meta.url));

const EXAMPLES = `
Examples:
  papers search hypernetwork              rank papers by title and abstract
  papers search "layer normalization" -vision
  papers list --sort title --limit 20
  papers show hopfield-networks-all-you-need
  papers related magnitude-invariant
  papers search gnn -n 3 | papers show -
  papers export --format csv --has-code -o papers.csv
  papers export --format bibtex --query hypernetwork > refs.bib
  papers import digest.txt --dry-run
  papers pull --date yesterday
  papers add 2410.17243 https://arxiv.org/abs/1706.03762
  papers watch add gnn "graph neural"     save a search under a name
  papers news                             papers new to each saved search

Exit status: 0 found, 1 nothing found, 2 usage or input error.`;

const COLOR_MODES = ['auto', 'always', 'never'] as const;

// Fewer columns than this beside a term, and its description goes under it instead: a few words a line are hard to read.
const MIN_DESCRIPTION_WIDTH = 30;
// How far a description under its term, or the rest of a wrapped line, is indented past the line's own indent.
const HANGING_INDENT = 4;

/** Text wrapped at spaces (a word longer than the width stays whole) to `width`, its lines after the first indented. */
function hang(text: string, width: number, indent: number): string {
  const help = new Help();
  help.minWidthToWrap = 0;
  return help.boxWrap(text, Math.max(1, width - indent)).replaceAll('\n', `\n${' '.repeat(indent)}`);
}

/** A term and its description, side by side when there is room, else the description under the term. */
function helpItem(indent: number, term: string, column: number, description: string, width: number): string {
  const lead = ' '.repeat(indent);
  if (width - column >= MIN_DESCRIPTION_WIDTH) return `${lead}${term.padEnd(column - indent)}${hang(description, width, column)}`;
  const under = indent + HANGING_INDENT;
  return `${lead}${hang(term, width, under)}\n${' '.repeat(under)}${hang(description, width, under)}`;
}

/**
 * Help text written for 80 columns (two-column lists of examples and query syntax, sentences) fitted to
 * `width`: each list item's description wrapped beside or under its term, other lines wrapped with an indent.
 */
function fitHelpText(text: string, width: number): string {
  const items: ({ indent: number; term: string; column: number; description: string } | string)[] = [];
  for (const line of text.split('\n')) {
    const item = /^( +)(\S.*?)( {2,})(\S.*)$/.exec(line);
    const last = items.at(-1);
    if (item) {
      items.push({ indent: item[1]!.length, term: item[2]!, column: item[1]!.length + item[2]!.length + item[3]!.length, description: item[4]! });
    } else if (typeof last === 'object' && line.startsWith(' '.repeat(last.column)) && line.trim()) {
      last.description += ` ${line.trim()}`;
    } else {
      items.push(line);
    }
  }
  return items
    .map((item) => {
      if (typeof item === 'object') return helpItem(item.indent, item.term, item.column, item.description, width);
      const indent = item.length - item.trimStart().length;
      return `${' '.repeat(indent)}${hang(item.trimStart(), width, indent + (indent > 0 ? 2 : 0))}`;
    })
    .join('\n');
}

/** An option whose values are a fixed list: declared once, for validation, help and completion. */
function choiceOption(flags: string, description: string, choices: readonly string[]): Option {
  const option = new Option(flags, description).choices(choices);
  const name = option.long ?? option.short ?? flags;
  return option.argParser((value: string) => {
    if (!choices.includes(value)) throw unknownChoice(name, value, choices);
    return value;
  });
}

/**
 * The format an input is read as: one papers imports, or the name of one of its own exports (json, ndjson and
 * yaml are read as `papers`); a format it only writes (markdown) is said to be one.
 */
function inputFormatOption(flags: string, description: string): Option {
  const option = new Option(flags, description).choices(SOURCE_FORMATS);
  return option.argParser((value: string) => {
    if ((SOURCE_FORMATS as readonly string[]).includes(value)) return value;
    if ((PAPERS_EXPORTS as readonly string[]).includes(value)) return 'papers';
    if ((EXPORT_FORMATS as readonly string[]).includes(value)) throw new UsageError(notImported(value));
    throw unknownChoice(option.long!, value, SOURCE_FORMATS);
  });
}

function wholeNumber(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UsageError(`${flag} takes a whole number of 1 or more, not \`${value}\``);
    return Number(value);
  };
}

const dayOption = (flags: string, description: string) => new Option(flags, description).argParser((value: string) => parseDay(value, flags.split(' ')[0]!));
const dateRange = (command: Command) =>
  command
    .addOption(
      dayOption(
        '--since <date>',
        'only papers of this date or later (YYYY-MM-DD, or a whole month or year: YYYY-MM, YYYY): the day on the Hugging Face daily list, else the day published; papers without either are left out',
      ),
    )
    .addOption(dayOption('--until <date>', 'only papers of this date or earlier (YYYY-MM-DD, YYYY-MM, YYYY; the same day as --since)'));

/** `--status queued,reading` and `--tag a --tag b`: the reader's own fields, for list and export. */
const libraryFilters = (command: Command) =>
  command
    .addOption(
      new Option('--status <list>', 'only papers with one of these reading statuses (comma-separated: queued, reading, read, unread)').argParser(
        (value: string) => parseReadings(value),
      ),
    )
    .addOption(
      new Option('--tag <tag>', 'only papers with this tag (again, or comma-separated, for papers with every one)').argParser(
        (value: string, previous: string[] | undefined) => [...(previous ?? []), ...parseTags(value, '--tag')],
      ),
    );

const formatOption = () => choiceOption('--format <format>', 'output format (default: table on a terminal, tsv in a pipe)', OUTPUT_FORMATS);
const limitOption = (description: string) => new Option('-n, --limit <n>', description).argParser(wholeNumber('--limit'));

interface GlobalOptions {
  corpus?: string;
  cache: boolean;
  color: ColorMode;
  debug?: boolean;
}

type Runner = (command: (context: Context) => Promise<void>) => Promise<void>;

function buildProgram(run: Runner, io: () => Io): Command {
  const program = new Command('papers')
    // Set before the subcommands are added, so they inherit it: errors are reported once, by `report`.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io().stdout.write(text),
      writeErr: (text) => io().stderr.write(text),
      outputError: () => undefined,
      // Help fits the terminal it is read on (80 columns in a pipe, as COLUMNS may say).
      getOutHelpWidth: () => io().columns,
      getErrHelpWidth: () => io().columns,
    })
    .configureHelp({
      minWidthToWrap: 0,
      formatItem(term, termWidth, description) {
        return description ? helpItem(2, term, termWidth + 4, description, this.helpWidth ?? 80) : `  ${term}`;
      },
      styleUsage(usage) {
        return hang(usage, this.helpWidth ?? 80, 'Usage: '.length);
      },
    })
    .description('Search, read and export a local corpus of ML papers.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--corpus <path>', 'corpus YAML file, or a folder of them').env('PAPERS_CORPUS'))
    .addOption(choiceOption('--color <when>', 'colour output', COLOR_MODES).default('auto'))
    .option('--no-cache', 'read the corpus YAML directly, without the derived cache (also PAPERS_NO_CACHE=1)')
    .option('--debug', 'show stack traces for errors')
    .showSuggestionAfterError()
    .addHelpText('after', () => fitHelpText(EXAMPLES, io().columns));

  dateRange(program.command('search'))
    .description('fuzzy search titles and abstracts; every word must match')
    .argument('<query...>', 'words, "phrases", -excluded, title:word, a | b, has:code')
    .addOption(limitOption('most results to show (default: 10)'))
    .option('-a, --all', 'show every paper that matches every word (no near misses)')
    .option('--strict', 'every word must match as typed (or as its plural): no typos, other forms, acronyms or near misses')
    .addOption(formatOption())
    .action((words: string[], options) => run(async (context) => (await import('./commands/search.js')).search(context, words, options)))
    .addHelpText('after', () =>
      fitHelpText(
        `\n${QUERY_HELP}\n\nAfter \`search\`, a word starting with - is left out of the results unless it is one of the options above, spelled exactly; an unknown --option, or an option's name after one dash (-limit), is refused. After -- every word is a query word.`,
        io().columns,
      ),
    );

  program
    .command('related')
    .description('papers most like one paper (TF-IDF cosine over title and abstract)')
    .argument('<ref>', 'paper id or the start of one, arXiv id, DOI, or URL')
    .addOption(limitOption('most results to show (default: 10)'))
    .addOption(formatOption())
    .action((id: string, options) => run(async (context) => (await import('./commands/related.js')).related(context, id, options)));

  libraryFilters(dateRange(program.command('list')))
    .description('list the papers in the corpus')
    .addOption(limitOption('show at most n papers'))
    .addOption(choiceOption('-s, --sort <key>', 'sort by a field, or keep the corpus file order', SORT_KEYS).default('corpus'))
    .option('-r, --reverse', 'reverse the order')
    .option('--has-code', 'only papers with a code repository')
    .option('--author <name>', 'only papers by this author (surname or full name; case and accents ignored)')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('./commands/list.js')).list(context, options)));

  program
    .command('show')
    .description('show papers in full')
    .argument('<ref...>', 'paper ids or starts of them, arXiv ids, DOIs or URLs; - reads them from standard input (first tab-separated field of each line)')
    .option('--highlight <query>', 'highlight the words of a query')
    .addOption(
      choiceOption(
        '--format <format>',
        'tsv or json (default: the paper as text)',
        OUTPUT_FORMATS.filter((f) => f !== 'table'),
      ),
    )
    .action((refs: string[], options) => run(async (context) => (await import('./commands/show.js')).show(context, refs, options)));

  program
    .command('open')
    .description("open a paper's page in the browser ($BROWSER, else the system's)")
    .argument('<ref>', 'paper id or the start of one, arXiv id, DOI, or URL')
    .addOption(new Option('--pdf', 'the PDF').conflicts(['code', 'hf', 'project']))
    .addOption(new Option('--code', 'the code repository').conflicts(['hf', 'project']))
    .addOption(new Option('--hf', 'the Hugging Face page').conflicts(['project']))
    .option('--project', 'the project page')
    .option('--print', 'print the URL instead of opening it')
    .action((id: string, options) => run(async (context) => (await import('./commands/open.js')).openPaper(context, id, options)));

  program
    .command('note')
    .description("write a paper's own note, notes/<id>.md, in $VISUAL, $EDITOR or vi")
    .argument('<ref>', 'paper id or the start of one, arXiv id, DOI, or URL; - reads it from standard input')
    .addOption(new Option('--add <text>', 'add a line to the note, without an editor').conflicts(['print']))
    .option('--print', 'print the note (exit 1 when the paper has none)')
    .action((ref: string, options) => run(async (context) => (await import('./commands/note.js')).note(context, ref, options)));

  program
    .command('pick')
    .description('choose papers in a full-screen list that re-ranks as you type; prints their ids')
    .argument('[query...]', 'the query to start with, as for search')
    .option('--strict', 'every word must match as typed (or as its plural)')
    .action((words: string[], options) => run(async (context) => (await import('./commands/pick.js')).pick(context, words, options)))
    .addHelpText('after', () =>
      fitHelpText(
        '\nKeys: type to search; Up/Down or Ctrl-P/Ctrl-N move; Tab selects (Shift-Tab back); Enter prints the selected ids, else the current one, one a line; Ctrl-O opens the current paper in the browser; Alt-Q and Alt-R mark the selected papers (else the current one) queued or read; Alt-T adds a tag typed on the status line (Enter adds, Esc cancels); Ctrl-U clears the query; Esc or Ctrl-C leaves (exit 1). It draws on the terminal (/dev/tty), so its output can be piped: papers pick | xargs papers open',
        io().columns,
      ),
    );

  libraryFilters(dateRange(program.command('export')))
    .description('write papers as JSON, NDJSON, CSV, YAML, BibTeX, CSL JSON, RIS or a Markdown reading list')
    .argument('[ref...]', 'only these papers, in this order (ids, arXiv ids, DOIs or URLs; - reads them from standard input); default: every paper')
    .addOption(choiceOption('-f, --format <format>', 'export format', EXPORT_FORMATS).default('json'))
    .addOption(
      choiceOption(
        '--key <style>',
        'citation keys for bibtex, csl-json and ris: the key a paper came with (else its id), paper ids, or author-year (cheng2024videollama)',
        KEY_STYLES,
      ).default('original'),
    )
    .option('-q, --query <query>', 'only papers matching a search query, best first')
    .option('--has-code', 'only papers with a code repository')
    .option('--author <name>', 'only papers by this author')
    .addOption(new Option('--fields <list>', `comma-separated fields, of: ${PAPER_FIELDS.join(', ')}`).argParser(parseFields))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--no-formula-guard', "CSV: keep cells starting with = + - @ as they are (by default they get a leading ')")
    .action((refs: string[], options) => run(async (context) => (await import('./commands/export.js')).exportPapers(context, refs, options)));

  program
    .command('import')
    .description('add papers from a file: a saved digest, Hugging Face or arXiv API responses, arXiv JSON Lines, BibTeX, RIS, CSL JSON, or an export')
    .argument('<file>', 'the file, or - for standard input')
    .addOption(inputFormatOption('--format <format>', 'read it as this format (default: told from its name and content)'))
    .addOption(inputFormatOption('--from <format>', 'the same as --format'))
    .option('--dry-run', 'show what would be added or enriched without writing')
    .option('--source <name>', 'source name to record (default: the file name)')
    .action((file: string, options) => run(async (context) => (await import('./commands/import.js')).importPapers(context, file, options)));

  const network = (command: Command) =>
    command
      .option('--dry-run', 'show what would be added or enriched; write nothing')
      .addOption(new Option('--timeout <seconds>', 'most seconds for one request (default: 30)').argParser(wholeNumber('--timeout')))
      .addOption(new Option('--max-time <seconds>', 'most seconds for the whole command (default: 600)').argParser(wholeNumber('--max-time')));

  network(
    program
      .command('pull')
      .description('import the Hugging Face daily papers of a day, week or month')
      .option('--date <day>', 'the day: YYYY-MM-DD, today or yesterday (default: today)')
      .option('--week <week>', 'an ISO week, YYYY-Www')
      .option('--month <month>', 'a month, YYYY-MM')
      .option('--since <day>', 'every day from this one (one request each, at most 31 without --force)')
      .option('--until <day>', 'with --since: the last day (default: today)')
      .addOption(limitOption('import at most n papers'))
      .option('--force', 'allow --since to ask for more than 31 days'),
  ).action((options) => run(async (context) => (await import('./commands/pull.js')).pull(context, options)));

  network(
    program
      .command('add')
      .description('add papers by arXiv id, arXiv or Hugging Face URL, or arXiv DOI, with metadata from the arXiv API')
      .argument('<ref...>', 'arXiv ids (2410.17243, arXiv:2410.17243v2, hep-th/9901001), URLs or DOIs; - reads them from standard input'),
  ).action((refs: string[], options) => run(async (context) => (await import('./commands/add.js')).add(context, refs, options)));

  network(
    program
      .command('refresh')
      .description('fill in what arXiv now knows (a DOI, a journal) for papers with an arXiv id; nothing that has a value changes')
      .argument('[id...]', 'papers to refresh (default: every paper with an arXiv id)'),
  ).action((ids: string[], options) => run(async (context) => (await import('./commands/refresh.js')).refresh(context, ids, options)));

  program
    .command('mark')
    .description('set the reading status of papers: queued, reading, read, or unread (none)')
    .argument('<ref...>', 'papers (ids or starts of them, arXiv ids, DOIs, URLs; - reads standard input), then the status')
    .usage('<ref...> queued|reading|read|unread')
    .addHelpText('after', '\nExamples:\n  papers mark attention-is-all-you-need queued\n  papers search hypernetwork | cut -f1 | papers mark - reading')
    .action((args: string[]) => run(async (context) => (await import('./commands/mark.js')).mark(context, args)));

  program
    .command('tag')
    .description('add tags to papers, or remove them (tags: lower-case words; -, _, / or . inside)')
    .argument('<ref...>', 'paper ids or starts of them, arXiv ids, DOIs or URLs; - reads them from standard input')
    .option('--add <tags>', 'tags to add, comma-separated (project/thesis,to-cite)')
    .option('--remove <tags>', 'tags to remove, comma-separated')
    .action((refs: string[], options) => run(async (context) => (await import('./commands/tag.js')).tag(context, refs, options)));

  program
    .command('tags')
    .description('every tag, with how many papers have it, most used first')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('./commands/tag.js')).tags(context, options)));

  program
    .command('stats')
    .description('how many papers, per digest date, with code, and the keywords that set the corpus apart')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('./commands/stats.js')).stats(context, options)));

  program
    .command('doctor')
    .description('find papers the corpus holds twice (clones of a folder merged through git); --fix merges each into its first copy')
    .option('--fix', 'rewrite the files that hold them, keeping every field (under the corpus lock)')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('./commands/doctor.js')).doctor(context, options)));

  const watch = program.command('watch').description('saved searches that papers news follows: add, list, rm');
  watch
    .command('add')
    .description('save a search; papers news shows the papers that match it as they arrive')
    .argument('<name>', 'a lower-case word of letters, digits, - and _')
    .argument('<query...>', 'the query, as papers search takes it')
    .option('--force', 'replace the saved search of that name')
    // An -excluded word is part of the query, as it is after `search`.
    .allowUnknownOption()
    .action((name: string, words: string[], options) => run(async (context) => (await import('./commands/watch.js')).watchAdd(context, name, words, options)));
  watch
    .command('list')
    .description('the saved searches: name, query, and the day papers news last showed papers of it')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('./commands/watch.js')).watchList(context, options)));
  watch
    .command('rm')
    .description('remove a saved search')
    .argument('<name>', 'its name')
    .action((name: string) => run(async (context) => (await import('./commands/watch.js')).watchRemove(context, name)));

  program
    .command('news')
    .description('papers matching saved searches that arrived since the last papers news, newest first; then they count as shown')
    .addOption(
      dayOption(
        '--since <date>',
        'instead, every matching paper of this date or later (YYYY-MM-DD, YYYY-MM, YYYY: the daily list day, else the day published)',
      ),
    )
    .addOption(
      choiceOption('--format <format>', 'output format (default: table on a terminal, tsv in a pipe); markdown: a digest to mail', [
        ...OUTPUT_FORMATS,
        'markdown',
      ]),
    )
    .option('--dry-run', 'show them without counting them as shown')
    .action((options) => run(async (context) => (await import('./commands/news.js')).news(context, options)));

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
    .addArgument(
      new Argument('<shell>', 'the shell').choices(SHELLS).argParser((value: string) => {
        if (!(SHELLS as readonly string[]).includes(value)) throw unknownChoice('shell', value, SHELLS);
        return value;
      }),
    )
    .action((shell: (typeof SHELLS)[number]) =>
      run(async (context) => {
        const { completion } = await import('./commands/completion.js');
        await completion(context, shell, describe(program), program.commands.map(describe));
      }),
    );

  return program;
}

// What each command's argument is, for completion.
const ARGUMENTS: Record<string, CommandSpec['argument']> = {
  search: 'text',
  show: 'id',
  related: 'id',
  open: 'id',
  note: 'id',
  pick: 'text',
  import: 'file',
  add: 'text',
  refresh: 'id',
  mark: 'id',
  tag: 'id',
};

function describe(command: Command): CommandSpec {
  const options = command.options
    .filter((o) => !o.hidden)
    .map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => Boolean(f)),
      value: o.required || o.optional,
      ...(o.argChoices ? { choices: o.argChoices } : {}),
    }));
  if (command.parent === null) options.push({ flags: ['-h', '--help'], value: false });
  const subcommands = command.commands.map((c) => c.name());
  const choices = command.registeredArguments[0]?.argChoices ?? (subcommands.length > 0 ? subcommands : undefined);
  return {
    name: command.parent === null ? '' : command.name(),
    options,
    argument: choices ? { choices } : (ARGUMENTS[command.name()] ?? 'none'),
    ...(command.registeredArguments[0]?.variadic ? { many: true } : {}),
  };
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

/** Each option's exact spellings, and whether it takes a value. */
function spellings(options: readonly Option[]): Map<string, boolean> {
  const known = new Map<string, boolean>([
    ['-h', false],
    ['--help', false],
  ]);
  for (const o of options) for (const flag of [o.short, o.long]) if (flag) known.set(flag, o.required || o.optional);
  return known;
}

/** Where the command's name is: after the global options and their values. */
function commandAt(program: Command, argv: string[]): number {
  const global = spellings(program.options);
  let at = 0;
  while (at < argv.length && argv[at]!.startsWith('-')) at += global.get(argv[at]!) ? 2 : 1;
  return at;
}

/** `papers help nosuch` is one line, as `papers nosuch` is, rather than the whole help on stderr. */
function refuseUnknownHelpTopic(program: Command, argv: string[]): void {
  const at = commandAt(program, argv);
  const topic = argv[at] === 'help' ? argv[at + 1] : undefined;
  if (topic !== undefined && !program.commands.some((c) => c.name() === topic)) throw new UsageError(`unknown command '${topic}' (see papers --help)`);
}

/**
 * `papers search continual learning -pretrained`: after `search`, only search's own and the global
 * options, spelled exactly (or `--long=value`), are options; a word starting with a single - is an
 * excluded query word, unless it is a long option's name with one dash (`-limit`), refused as a typo, as
 * any unknown `--word` is. Options are kept in front and the query words put after `--`.
 */
function separateQueryWords(program: Command, argv: string[]): string[] {
  const at = commandAt(program, argv);
  const search = program.commands.find((c) => c.name() === 'search');
  if (argv[at] !== 'search' || !search) return argv;
  const known = spellings([...search.options, ...program.options]);
  const options: string[] = [];
  const words: string[] = [];
  for (let i = at + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      for (const word of argv.slice(i + 1)) words.push(word);
      break;
    }
    const [flag] = arg.split('=', 1) as [string];
    const takesValue = known.get(flag);
    if (/^-[^-]/.test(flag) && known.has(`-${flag}`)) {
      search.error(`error: unknown option '${arg}'\n(Did you mean -${flag}? To leave out the word, put it after --)`, {
        code: 'commander.unknownOption',
        exitCode: 2,
      });
    }
    // Commander refuses an unknown --word, with the closest option as a suggestion.
    if (flag.startsWith('--') && !known.has(flag)) options.push(arg);
    else if (known.has(arg) || (takesValue && flag.startsWith('--') && arg.length > flag.length)) {
      options.push(arg);
      if (takesValue && arg === flag) {
        if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
        options.push(argv[++i]!);
      }
    } else {
      words.push(arg);
    }
  }
  return [...argv.slice(0, at + 1), ...options, '--', ...words];
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
