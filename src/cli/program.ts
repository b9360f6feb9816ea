import { Argument, Command, Option } from 'commander';
import type { Context } from '../app/context.js';
import { parseFields, PAPER_FIELDS } from '../corpus/paper.js';
import { SORT_KEYS } from '../corpus/sort.js';
import { unknownChoice } from '../base/errors.js';
import type { CommandSpec } from '../render/completion.js';
import { EXPORT_FORMATS, KEY_STYLES, OUTPUT_FORMATS, SHELLS } from '../render/formats.js';
import { QUERY_HELP } from '../search/query.js';
import type { ColorMode, Io } from '../base/terminal.js';
import { VERSION } from '../base/version.js';
import { fitHelpText, hang, helpItem } from './help.js';
import { choiceOption, COLOR_MODES, dateRange, dayOption, formatOption, inputFormatOption, libraryFilters, limitOption, wholeNumber } from './options.js';

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

export interface GlobalOptions {
  corpus?: string;
  cache: boolean;
  color: ColorMode;
  debug?: boolean;
}

export type Runner = (command: (context: Context) => Promise<void>) => Promise<void>;

export function buildProgram(run: Runner, io: () => Io): Command {
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
    .action((words: string[], options) => run(async (context) => (await import('../commands/search.js')).search(context, words, options)))
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
    .action((id: string, options) => run(async (context) => (await import('../commands/related.js')).related(context, id, options)));

  libraryFilters(dateRange(program.command('list')))
    .description('list the papers in the corpus')
    .addOption(limitOption('show at most n papers'))
    .addOption(choiceOption('-s, --sort <key>', 'sort by a field, or keep the corpus file order', SORT_KEYS).default('corpus'))
    .option('-r, --reverse', 'reverse the order')
    .option('--has-code', 'only papers with a code repository')
    .option('--author <name>', 'only papers by this author (surname or full name; case and accents ignored)')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('../commands/list.js')).list(context, options)));

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
    .action((refs: string[], options) => run(async (context) => (await import('../commands/show.js')).show(context, refs, options)));

  program
    .command('open')
    .description("open a paper's page in the browser ($BROWSER, else the system's)")
    .argument('<ref>', 'paper id or the start of one, arXiv id, DOI, or URL')
    .addOption(new Option('--pdf', 'the PDF').conflicts(['code', 'hf', 'project']))
    .addOption(new Option('--code', 'the code repository').conflicts(['hf', 'project']))
    .addOption(new Option('--hf', 'the Hugging Face page').conflicts(['project']))
    .option('--project', 'the project page')
    .option('--print', 'print the URL instead of opening it')
    .action((id: string, options) => run(async (context) => (await import('../commands/open.js')).openPaper(context, id, options)));

  program
    .command('note')
    .description("write a paper's own note, notes/<id>.md, in $VISUAL, $EDITOR or vi")
    .argument('<ref>', 'paper id or the start of one, arXiv id, DOI, or URL; - reads it from standard input')
    .addOption(new Option('--add <text>', 'add a line to the note, without an editor').conflicts(['print']))
    .option('--print', 'print the note (exit 1 when the paper has none)')
    .action((ref: string, options) => run(async (context) => (await import('../commands/note.js')).note(context, ref, options)));

  program
    .command('pick')
    .description('choose papers in a full-screen list that re-ranks as you type; prints their ids')
    .argument('[query...]', 'the query to start with, as for search')
    .option('--strict', 'every word must match as typed (or as its plural)')
    .action((words: string[], options) => run(async (context) => (await import('../commands/pick.js')).pick(context, words, options)))
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
    .action((refs: string[], options) => run(async (context) => (await import('../commands/export.js')).exportPapers(context, refs, options)));

  program
    .command('import')
    .description('add papers from a file: a saved digest, Hugging Face or arXiv API responses, arXiv JSON Lines, BibTeX, RIS, CSL JSON, or an export')
    .argument('<file>', 'the file, or - for standard input')
    .addOption(inputFormatOption('--format <format>', 'read it as this format (default: told from its name and content)'))
    .addOption(inputFormatOption('--from <format>', 'the same as --format'))
    .option('--dry-run', 'show what would be added or enriched without writing')
    .option('--source <name>', 'source name to record (default: the file name)')
    .action((file: string, options) => run(async (context) => (await import('../commands/import.js')).importPapers(context, file, options)));

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
  ).action((options) => run(async (context) => (await import('../commands/pull.js')).pull(context, options)));

  network(
    program
      .command('add')
      .description('add papers by arXiv id, arXiv or Hugging Face URL, or arXiv DOI, with metadata from the arXiv API')
      .argument('<ref...>', 'arXiv ids (2410.17243, arXiv:2410.17243v2, hep-th/9901001), URLs or DOIs; - reads them from standard input'),
  ).action((refs: string[], options) => run(async (context) => (await import('../commands/add.js')).add(context, refs, options)));

  network(
    program
      .command('refresh')
      .description('fill in what arXiv now knows (a DOI, a journal) for papers with an arXiv id; nothing that has a value changes')
      .argument('[id...]', 'papers to refresh (default: every paper with an arXiv id)'),
  ).action((ids: string[], options) => run(async (context) => (await import('../commands/refresh.js')).refresh(context, ids, options)));

  program
    .command('mark')
    .description('set the reading status of papers: queued, reading, read, or unread (none)')
    .argument('<ref...>', 'papers (ids or starts of them, arXiv ids, DOIs, URLs; - reads standard input), then the status')
    .usage('<ref...> queued|reading|read|unread')
    .addHelpText('after', '\nExamples:\n  papers mark attention-is-all-you-need queued\n  papers search hypernetwork | cut -f1 | papers mark - reading')
    .action((args: string[]) => run(async (context) => (await import('../commands/mark.js')).mark(context, args)));

  program
    .command('tag')
    .description('add tags to papers, or remove them (tags: lower-case words; -, _, / or . inside)')
    .argument('<ref...>', 'paper ids or starts of them, arXiv ids, DOIs or URLs; - reads them from standard input')
    .option('--add <tags>', 'tags to add, comma-separated (project/thesis,to-cite)')
    .option('--remove <tags>', 'tags to remove, comma-separated')
    .action((refs: string[], options) => run(async (context) => (await import('../commands/tag.js')).tag(context, refs, options)));

  program
    .command('tags')
    .description('every tag, with how many papers have it, most used first')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('../commands/tag.js')).tags(context, options)));

  program
    .command('stats')
    .description('how many papers, per digest date, with code, and the keywords that set the corpus apart')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('../commands/stats.js')).stats(context, options)));

  program
    .command('doctor')
    .description('find papers the corpus holds twice (clones of a folder merged through git); --fix merges each into its first copy')
    .option('--fix', 'rewrite the files that hold them, keeping every field (under the corpus lock)')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('../commands/doctor.js')).doctor(context, options)));

  const watch = program.command('watch').description('saved searches that papers news follows: add, list, rm');
  watch
    .command('add')
    .description('save a search; papers news shows the papers that match it as they arrive')
    .argument('<name>', 'a lower-case word of letters, digits, - and _')
    .argument('<query...>', 'the query, as papers search takes it')
    .option('--force', 'replace the saved search of that name')
    // An -excluded word is part of the query, as it is after `search`.
    .allowUnknownOption()
    .action((name: string, words: string[], options) => run(async (context) => (await import('../commands/watch.js')).watchAdd(context, name, words, options)));
  watch
    .command('list')
    .description('the saved searches: name, query, and the day papers news last showed papers of it')
    .addOption(formatOption())
    .action((options) => run(async (context) => (await import('../commands/watch.js')).watchList(context, options)));
  watch
    .command('rm')
    .description('remove a saved search')
    .argument('<name>', 'its name')
    .action((name: string) => run(async (context) => (await import('../commands/watch.js')).watchRemove(context, name)));

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
    .action((options) => run(async (context) => (await import('../commands/news.js')).news(context, options)));

  const cache = program.command('cache').description('the derived index that makes reading the corpus fast');
  cache
    .command('path')
    .description('print where the cache of the corpus is kept')
    .action(() => run(async (context) => (await import('../commands/cache.js')).cachePathCommand(context)));
  cache
    .command('clear')
    .description('delete every cached index (they are rebuilt when next needed)')
    .action(() => run(async (context) => (await import('../commands/cache.js')).clearCacheCommand(context)));

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
        const { completion } = await import('../commands/completion.js');
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
