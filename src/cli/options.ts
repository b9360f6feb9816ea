import { Command, Option } from 'commander';
import { parseTags } from '../corpus/paper.js';
import { parseDay } from '../corpus/dates.js';
import { UsageError, unknownChoice } from '../base/errors.js';
import { EXPORT_FORMATS, OUTPUT_FORMATS } from '../render/formats.js';
import { parseReadings } from '../search/query.js';
import { notImported, PAPERS_EXPORTS, SOURCE_FORMATS } from '../sources/types.js';

export const COLOR_MODES = ['auto', 'always', 'never'] as const;

/** An option whose values are a fixed list: declared once, for validation, help and completion. */
export function choiceOption(flags: string, description: string, choices: readonly string[]): Option {
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
export function inputFormatOption(flags: string, description: string): Option {
  const option = new Option(flags, description).choices(SOURCE_FORMATS);
  return option.argParser((value: string) => {
    if ((SOURCE_FORMATS as readonly string[]).includes(value)) return value;
    if ((PAPERS_EXPORTS as readonly string[]).includes(value)) return 'papers';
    if ((EXPORT_FORMATS as readonly string[]).includes(value)) throw new UsageError(notImported(value));
    throw unknownChoice(option.long!, value, SOURCE_FORMATS);
  });
}

export function wholeNumber(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UsageError(`${flag} takes a whole number of 1 or more, not \`${value}\``);
    return Number(value);
  };
}

export const dayOption = (flags: string, description: string) =>
  new Option(flags, description).argParser((value: string) => parseDay(value, flags.split(' ')[0]!));
export const dateRange = (command: Command) =>
  command
    .addOption(
      dayOption(
        '--since <date>',
        'only papers of this date or later (YYYY-MM-DD, or a whole month or year: YYYY-MM, YYYY): the day on the Hugging Face daily list, else the day published; papers without either are left out',
      ),
    )
    .addOption(dayOption('--until <date>', 'only papers of this date or earlier (YYYY-MM-DD, YYYY-MM, YYYY; the same day as --since)'));

/** `--status queued,reading` and `--tag a --tag b`: the reader's own fields, for list and export. */
export const libraryFilters = (command: Command) =>
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

export const formatOption = () => choiceOption('--format <format>', 'output format (default: table on a terminal, tsv in a pipe)', OUTPUT_FORMATS);
export const limitOption = (description: string) => new Option('-n, --limit <n>', description).argParser(wholeNumber('--limit'));
