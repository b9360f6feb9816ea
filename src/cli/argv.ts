import type { Command, Option } from 'commander';
import { UsageError } from '../base/errors.js';

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
export function refuseUnknownHelpTopic(program: Command, argv: string[]): void {
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
export function separateQueryWords(program: Command, argv: string[]): string[] {
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
