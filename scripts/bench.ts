// Times whole commands as a user runs them, side by side with `node -e 0` in the same run.
//   npm run bench [-- --runs 7] [-- --sizes 10000,100000 | --size 1000000]
// Corpora: the shipped one and generated ones (scripts/synthetic.ts) written to .bench/ and reused when
// present. Each figure is the median of --runs runs after one warm-up (which also builds the cache);
// "x node" is the median of the run-by-run ratios to `node -e 0`, so drift of the machine's speed cancels
// out. Peak memory comes from GNU time (/usr/bin/time) when it is installed.
//
// For each generated size N:
// - single file (N <= 100,000 only): a corpus-N.yaml with the shipped papers mixed in, searched and
//   listed; a digest and an arXiv JSON Lines file of N papers imported into a new single-file corpus;
// - folder: the arXiv JSON Lines file (N records, the shipped papers mixed in) imported into an empty
//   folder corpus with a cache folder of its own, then the bench queries, list, show, a touched file, 100
//   new papers, a hand-edited title and the disk used, each against its goal in a second table; last,
//   300 papers queued and 100 of them tagged through `papers mark` and `papers tag`, and the status and
//   tag filters timed over them.
// A row whose command fails says "failed: <first line of its stderr>" and the run goes on.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { Paper } from '../src/corpus/paper.js';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import { arxivJsonlLines, digestText, generatePapers, SHIPPED, streamPapers, type JsonlOptions, type SyntheticOptions } from './synthetic.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i]!.startsWith(`${name}=`)) return args[i]!.slice(name.length + 1);
  }
  return undefined;
};
const usage = (problem: string): never => {
  console.error(`bench: ${problem}\nusage: npm run bench [-- --runs 7] [-- --sizes 10000,100000 | --size 1000000]`);
  process.exit(2);
};
const runs = Number(option('--runs') ?? '7');
if (!Number.isInteger(runs) || runs < 1) usage('--runs takes a whole number of at least 1');
// `--size N` is `--sizes N`.
const sizes = (option('--size') ?? option('--sizes') ?? '10000,100000').split(',').filter(Boolean).map(Number);
if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) usage('--sizes takes whole numbers, comma-separated');

const root = new URL('..', import.meta.url).pathname;
const work = join(root, '.bench');
const bin = join(root, 'bin', 'papers');
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
mkdirSync(work, { recursive: true });
const env = { ...process.env, PAPERS_CACHE_DIR: join(work, 'cache') };
type Env = typeof env;

/** The largest single-file corpus built: above it, only the folder layout is measured. */
const SINGLE_FILE_MAX = 100_000;
/** Papers per chunk when a generated file is written as a stream. */
const CHUNK = 10_000;
/** The queries timed on folder corpora, as argv words after `search`: one of each kind. */
const QUERIES: string[][] = [
  ['hypernetwork'], // a rare word (three shipped papers)
  ['graph', 'neural', 'networks'], // rare words with a common one
  ['grpah', 'nueral'], // typos
  ['"continual learning"'], // a phrase
  ['attention'], // one word of the shipped papers
  ['language', 'model'], // a rare word and a very common one
  ['training', 'models'], // common words: most papers match
  ['title:networks', 'cat:cs.CV'], // a field and a category
];
/** The word a hand edit puts in a title, found by no query before it. */
const EDIT_WORD = 'Zyxbenched';
/** Papers queued through `papers mark`, spread evenly over the folder, and the share of them tagged. */
const QUEUED = 300;
const TAGGED_EVERY = 3;
const TAG = 'bench/tagged';
/** A word most generated papers have, so that the tag is what narrows the search. */
const TAGGED_WORD = 'training';

interface Sample {
  seconds: number;
  peakMB: number | null;
  stdout: string;
  /** Without GNU time's lines. */
  stderr: string;
}

/** Runs a command once; throws "failed: <first line of stderr>" unless it exits with one of `ok`. */
function once(command: string[], runEnv: Env = env, ok = [0, 1]): Sample {
  const argv = gnuTime ? [gnuTime, '-f', '%M', ...command] : command;
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0]!, argv.slice(1), { env: runEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.error) throw new Error(`failed: ${result.error.message}`);
  let stderr = result.stderr;
  let kb = NaN;
  if (gnuTime) {
    // GNU time adds "Command exited with non-zero status N" or "Command terminated by signal N", then %M.
    const lines = stderr.trimEnd().split('\n');
    kb = Number(lines.pop());
    while (lines.length && /^Command (exited|terminated)/.test(lines.at(-1)!)) lines.pop();
    stderr = lines.join('\n');
  }
  if (result.status === null || !ok.includes(result.status)) {
    const first = stderr.split('\n').find((l) => l.trim()) ?? `exit ${result.status ?? result.signal}, nothing on stderr`;
    throw new Error(`failed: ${first.length > 160 ? `${first.slice(0, 159)}…` : first}`);
  }
  return { seconds, peakMB: Number.isFinite(kb) ? kb / 1024 : null, stdout: result.stdout, stderr };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const message = (error: unknown) => {
  const text = error instanceof Error ? error.message : String(error);
  return text.startsWith('failed: ') ? text : `failed: ${text}`;
};
const fmt = (n: number) => n.toLocaleString('en');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const peakText = (peakMB: number | null) => (peakMB === null ? '-' : peakMB.toFixed(0));

// The timing table: label, command, median s, x node, peak MB; a row of three cells is a label, a command
// and a note (a failure, a skip) printed across the figures' columns.
const rows: string[][] = [];

interface Timed {
  seconds: number;
  ratio: number;
  peakMB: number | null;
}

/** Times a command against `node -e 0`; on failure the row says so and the failure is returned. */
function compare(label: string, corpus: string, command: string[], runEnv: Env = env): Timed | string {
  const what = `papers ${command.join(' ')}`;
  console.error(`  ${label}: ${what}`);
  try {
    const papers = [bin, '--corpus', corpus, ...command];
    once(papers, runEnv);
    once(['node', '-e', '0']);
    const ours: Sample[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < runs; i++) {
      const a = once(papers, runEnv);
      const b = once(['node', '-e', '0']);
      ours.push(a);
      ratios.push(a.seconds / b.seconds);
    }
    const peaks = ours.map((s) => s.peakMB).filter((m): m is number => m !== null);
    const timed = { seconds: median(ours.map((s) => s.seconds)), ratio: median(ratios), peakMB: peaks.length ? Math.max(...peaks) : null };
    rows.push([label, what, timed.seconds.toFixed(3), timed.ratio.toFixed(2), peakText(timed.peakMB)]);
    return timed;
  } catch (error) {
    rows.push([label, what, message(error)]);
    return message(error);
  }
}

/** Runs a command once after `prepare`; on failure the row says so and the failure is returned. */
function single(label: string, what: string, command: string[], prepare: () => void, runEnv: Env = env, ok?: number[]): Sample | string {
  console.error(`  ${label}: ${what}`);
  try {
    prepare();
    const sample = once(command, runEnv, ok);
    rows.push([label, what, sample.seconds.toFixed(1), '', peakText(sample.peakMB)]);
    return sample;
  } catch (error) {
    rows.push([label, what, message(error)]);
    return message(error);
  }
}

// The goals table: size, work, goal, met, measured (last, so that a long failure does not widen the rest).
const goals: string[][] = [];
interface Outcome {
  measured: string;
  /** null: the goal does not apply (or could not be judged). */
  met: boolean | null;
}
function goal(size: number, work: string, target: string, outcome: Outcome | string) {
  const { measured, met } = typeof outcome === 'string' ? { measured: outcome, met: null } : outcome;
  goals.push([fmt(size), work, target, typeof outcome === 'string' ? '-' : met === null ? 'n/a' : met ? 'yes' : 'NO', measured]);
}

function table(header: string[], body: string[][], right: number[]) {
  // A note row's last cell runs on past the columns; its other cells count.
  const widths = header.map((h, i) => Math.max(h.length, ...body.filter((r) => r.length === header.length || i < r.length - 1).map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.length === header.length
      ? r.map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')
      : [...r.slice(0, -1).map((c, i) => c.padEnd(widths[i]!)), r.at(-1)!].join('  ');
  return [header, ...body]
    .map(line)
    .map((l) => l.trimEnd())
    .join('\n');
}

/** Writes a file of generated lines in chunks, through a temporary file, so that a killed run leaves no half file to reuse. */
function writeLines(file: string, lines: Iterable<string>) {
  const part = `${file}.part`;
  const fd = openSync(part, 'w');
  try {
    let chunk: string[] = [];
    for (const line of lines) {
      chunk.push(line);
      if (chunk.length === CHUNK) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length) writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(part, file);
}

/** An arXiv JSON Lines file of `count` generated records (reused when present), made one paper at a time. */
function jsonlFile(file: string, count: number, papers: SyntheticOptions, records: JsonlOptions = {}): string {
  if (!existsSync(file)) {
    console.error(`  writing ${file}`);
    writeLines(file, arxivJsonlLines(streamPapers(count, papers), records));
  }
  return file;
}

const yamlFiles = (folder: string) =>
  readdirSync(folder)
    .filter((name) => /^[^.].*\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(folder, name));
const bytesUnder = (path: string): number =>
  readdirSync(path, { withFileTypes: true }).reduce((sum, entry) => {
    const full = join(path, entry.name);
    return sum + (entry.isDirectory() ? bytesUnder(full) : entry.isFile() ? statSync(full).size : 0);
  }, 0);

/** The middle YAML file of a folder corpus as the big import left it: the one shown from, touched and edited. */
function middleFile(folder: string): string {
  const files = existsSync(folder) ? yamlFiles(folder) : [];
  if (files.length === 0) throw new Error(`failed: ${folder} has no YAML file`);
  return files[files.length >> 1]!;
}

/**
 * Changes one word of the first title in a YAML file, as a person in an editor would: the file read, the
 * word replaced, the file written back, every other byte kept. Returns the seconds it took.
 */
function editOneTitle(file: string): number {
  const start = process.hrtime.bigint();
  const bytes = readFileSync(file);
  // Latin-1 gives one character per byte, so offsets are byte offsets; bytes of other letters are not words.
  const text = bytes.toString('latin1');
  let at = -1;
  let length = 0;
  for (const line of text.matchAll(/^([ \t]*(?:- )?title: *)(.*)$/gm)) {
    const word = /(?<![\\\w\x80-\xff])[A-Za-z]{4,}(?![\w\x80-\xff])/.exec(line[2]!);
    if (!word) continue;
    at = line.index + line[1]!.length + word.index;
    length = word[0].length;
    break;
  }
  if (at < 0) throw new Error(`failed: no title with a word of four letters or more in ${file}`);
  writeFileSync(file, Buffer.concat([bytes.subarray(0, at), Buffer.from(EDIT_WORD), bytes.subarray(at + length)]));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const addedCount = (stderr: string) => {
  const match = /(\d[\d,]*) added/.exec(stderr);
  return match ? Number(match[1]!.replace(/,/g, '')) : null;
};
const atMost = (value: number, limit: number) => value <= limit;

function singleFileRows(size: number, shipped: Paper[], jsonl: string) {
  const label = `${fmt(size)} generated`;
  const file = join(work, `corpus-${size}.yaml`);
  if (!existsSync(file)) writeFileSync(file, serializeCorpus(generatePapers(size, { mix: shipped })));
  compare(label, file, ['search', 'hypernetwork']);
  compare(label, file, ['search', 'graph', 'neural', 'networks']);
  compare(label, file, ['list', '--limit', '20']);
  single(label, 'first search after the YAML changed', [bin, '--corpus', file, 'search', 'hypernetwork'], () => {
    const now = new Date();
    utimesSync(file, now, now);
  });
  const digest = join(work, `digest-${size}.txt`);
  if (!existsSync(digest)) writeFileSync(digest, digestText(generatePapers(size, { seed: 2 })));
  const target = join(work, `imported-${size}.yaml`);
  single(label, `import of a ${fmt(size)}-paper digest into a new corpus`, [bin, '--corpus', target, 'import', digest], () => rmSync(target, { force: true }));
  single(label, `import of a ${fmt(size)}-record arXiv JSON Lines file into a new corpus`, [bin, '--corpus', target, 'import', jsonl], () =>
    rmSync(target, { force: true }),
  );
}

function folderRows(size: number, jsonl: string) {
  const label = `${fmt(size)} folder`;
  const folder = join(work, `folder-${size}`);
  const corpus = `${folder}/`;
  const cache = join(work, `cache-folder-${size}`);
  const folderEnv = { ...env, PAPERS_CACHE_DIR: cache };
  const jsonlBytes = statSync(jsonl).size;
  const papers = (...command: string[]) => [bin, '--corpus', corpus, ...command];
  const search = (query: string[]) => papers('search', ...query);

  // An empty folder corpus: a path ending in / that does not exist, and no cache.
  const imported = single(
    label,
    `import of a ${fmt(size)}-record arXiv JSON Lines file (${mb(jsonlBytes)}) into an empty folder`,
    papers('import', jsonl),
    () => {
      rmSync(folder, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    },
    folderEnv,
    [0],
  );
  goal(
    size,
    `import ${fmt(size)}-record arXiv JSON Lines (${mb(jsonlBytes)}) into an empty folder`,
    '≤ 180 s, peak ≤ 2048 MB',
    typeof imported === 'string'
      ? imported
      : (() => {
          const added = addedCount(imported.stderr);
          const wrongCount = added !== null && added !== size;
          return {
            measured: `${imported.seconds.toFixed(1)} s, peak ${peakText(imported.peakMB)} MB${wrongCount ? ` (${fmt(added)} added, not ${fmt(size)})` : ''}`,
            met: atMost(imported.seconds, 180) && (imported.peakMB === null || atMost(imported.peakMB, 2048)) && !wrongCount,
          };
        })(),
  );

  // Chosen now, so that the 100 new papers' file is not the one edited.
  let middle: string | null = null;
  const pickMiddle = () => (middle ??= middleFile(folder));
  try {
    pickMiddle();
  } catch {
    // Each row that needs it says why.
  }

  const timed = QUERIES.map((query) => ({ query: query.join(' '), result: compare(label, corpus, ['search', ...query], folderEnv) }));
  const failed = timed.find((t) => typeof t.result === 'string');
  const good = timed.flatMap((t) => (typeof t.result === 'string' ? [] : [{ query: t.query, ...t.result }]));
  const failure = failed ? `${failed.result as string} (${failed.query})` : null;
  const ratio = median(good.map((t) => t.ratio));
  const slowest = good.reduce((a, b) => (b.ratio > a.ratio ? b : a), good[0]!);
  const peaks = good.map((t) => t.peakMB).filter((m): m is number => m !== null);
  goal(
    size,
    `search: median over ${QUERIES.length} queries of each one's median x node`,
    '≤ 3×',
    failure ?? { measured: `${ratio.toFixed(2)}×`, met: atMost(ratio, 3) },
  );
  goal(
    size,
    'search: slowest query, x node',
    '≤ 6×',
    failure ?? { measured: `${slowest.ratio.toFixed(2)}× (${slowest.query})`, met: atMost(slowest.ratio, 6) },
  );
  goal(
    size,
    'search: peak memory of any query',
    '≤ 300 MB',
    failure ??
      (peaks.length ? { measured: `${Math.max(...peaks).toFixed(0)} MB`, met: atMost(Math.max(...peaks), 300) } : { measured: 'no /usr/bin/time', met: null }),
  );

  const listed = compare(label, corpus, ['list', '--limit', '20'], folderEnv);
  goal(
    size,
    'list --limit 20, x node',
    '≤ 2×',
    typeof listed === 'string' ? listed : { measured: `${listed.ratio.toFixed(2)}×`, met: atMost(listed.ratio, 2) },
  );
  let id: string | null = null;
  try {
    const match = /^[ \t]*- id: *['"]?([a-z0-9-]+)/m.exec(readFileSync(pickMiddle(), 'utf8'));
    if (!match) throw new Error(`failed: no id in ${pickMiddle()}`);
    id = match[1]!;
  } catch (error) {
    rows.push([label, 'papers show <id>', message(error)]);
    goal(size, 'show <id>, x node', '≤ 2×', message(error));
  }
  if (id !== null) {
    const shown = compare(label, corpus, ['show', id], folderEnv);
    goal(
      size,
      `show <id>, x node`,
      '≤ 2×',
      typeof shown === 'string' ? shown : { measured: `${shown.ratio.toFixed(2)}× (${id})`, met: atMost(shown.ratio, 2) },
    );
  }

  const applies = size === 100_000;
  const firstTarget = '≤ 3 s at 100,000';
  const touched = single(
    label,
    `first search after touching one YAML file (search ${QUERIES[0]!.join(' ')})`,
    search(QUERIES[0]!),
    () => {
      const now = new Date();
      utimesSync(pickMiddle(), now, now);
    },
    folderEnv,
  );
  goal(
    size,
    `first search after touching one YAML file`,
    firstTarget,
    typeof touched === 'string'
      ? touched
      : { measured: `${touched.seconds.toFixed(2)} s (${basename(pickMiddle())})`, met: applies ? atMost(touched.seconds, 3) : null },
  );

  // 100 new papers: another seed, numbered on from the big file's records, so their arXiv ids are new.
  const news = jsonlFile(join(work, `arxiv-new-100-after-${size}.jsonl`), 100, { seed: 5 }, { first: size });
  const added = single(label, 'import of 100 new papers into the folder', papers('import', news), () => {}, folderEnv, [0]);
  const after =
    typeof added === 'string' ? added : single(label, `first search after it (search ${QUERIES[1]!.join(' ')})`, search(QUERIES[1]!), () => {}, folderEnv);
  goal(
    size,
    'import 100 new papers, then the next search',
    '≤ 10 s total',
    typeof added === 'string'
      ? added
      : typeof after === 'string'
        ? after
        : (() => {
            const count = addedCount(added.stderr);
            const total = added.seconds + after.seconds;
            const wrong = count !== null && count !== 100;
            return {
              measured: `${total.toFixed(2)} s (import ${added.seconds.toFixed(2)} + search ${after.seconds.toFixed(2)})${wrong ? `; ${count} added, not 100` : ''}`,
              met: atMost(total, 10) && !wrong,
            };
          })(),
  );

  let editSeconds = 0;
  const edited = single(
    label,
    `first search after a hand edit of one title (search ${EDIT_WORD.toLowerCase()})`,
    search([EDIT_WORD.toLowerCase()]),
    () => {
      editSeconds = editOneTitle(pickMiddle());
    },
    folderEnv,
  );
  const seen = typeof edited !== 'string' && edited.stdout.toLowerCase().includes(EDIT_WORD.toLowerCase());
  const unseen = seen ? '' : `; the search did not find ${EDIT_WORD}`;
  goal(
    size,
    'hand-edit one word of one title, then the next search',
    '≤ 10 s',
    typeof edited === 'string'
      ? edited
      : {
          measured: `${(editSeconds + edited.seconds).toFixed(2)} s (edit ${editSeconds.toFixed(2)} + search ${edited.seconds.toFixed(2)}; ${basename(pickMiddle())})${unseen}`,
          met: atMost(editSeconds + edited.seconds, 10) && seen,
        },
  );
  goal(
    size,
    'first search after editing one YAML file',
    firstTarget,
    typeof edited === 'string' ? edited : { measured: `${edited.seconds.toFixed(2)} s${unseen}`, met: applies ? atMost(edited.seconds, 3) && seen : null },
  );

  try {
    const yaml = yamlFiles(folder).reduce((sum, file) => sum + statSync(file).size, 0);
    const cached = existsSync(cache) ? bytesUnder(cache) : 0;
    const ratio = (yaml + cached) / jsonlBytes;
    goal(size, 'disk: (folder YAML + its cache folder) / JSONL, after all the above', '≤ 3×', {
      measured: `${ratio.toFixed(2)}× (YAML ${mb(yaml)} + cache ${mb(cached)}, JSONL ${mb(jsonlBytes)})`,
      met: atMost(ratio, 3),
    });
  } catch (error) {
    goal(size, 'disk: (folder YAML + its cache folder) / JSONL, after all the above', '≤ 3×', message(error));
  }

  libraryRows(size, label, corpus, folderEnv);
}

/**
 * The reader's own fields at scale: papers spread over the whole folder queued and tagged as a user
 * would (ids on the command line, as xargs gives them), then `list --status`, `list --tag` and a search
 * with `tag:` timed on the warm cache, each checked to find exactly the papers marked.
 */
function libraryRows(size: number, label: string, corpus: string, folderEnv: Env) {
  const work = `status or tag filter (list --status, list --tag, search ${TAGGED_WORD} tag:), x node`;
  const papers = (...command: string[]) => [bin, '--corpus', corpus, ...command];
  let queued: string[];
  try {
    const ids = once(papers('list', '--format', 'tsv'), folderEnv, [0])
      .stdout.split('\n')
      .filter(Boolean)
      .map((row) => row.split('\t')[0]!);
    const step = Math.max(1, Math.floor(ids.length / QUEUED));
    queued = ids.filter((_, i) => i % step === 0).slice(0, QUEUED);
  } catch (error) {
    goal(size, work, '≤ 2×', message(error));
    return;
  }
  const tagged = queued.filter((_, i) => i % TAGGED_EVERY === 0);
  const marked = single(label, `mark ${queued.length} papers queued, spread over the folder`, papers('mark', ...queued, 'queued'), () => {}, folderEnv, [0]);
  const retagged = single(label, `tag ${tagged.length} of them --add ${TAG}`, papers('tag', ...tagged, '--add', TAG), () => {}, folderEnv, [0]);
  if (typeof marked === 'string' || typeof retagged === 'string') {
    goal(size, work, '≤ 2×', typeof marked === 'string' ? marked : (retagged as string));
    return;
  }
  // Each filter's papers: a list gives every one of them, a search a page of them.
  const filters: { command: string[]; papers: string[]; every: boolean }[] = [
    { command: ['list', '--status', 'queued'], papers: queued, every: true },
    { command: ['list', '--tag', TAG], papers: tagged, every: true },
    { command: ['search', TAGGED_WORD, `tag:${TAG}`], papers: tagged, every: false },
  ];
  const results: { what: string; ratio: number }[] = [];
  const wrong: string[] = [];
  for (const { command, papers: wanted, every } of filters) {
    const what = command.join(' ');
    const timed = compare(label, corpus, command, folderEnv);
    if (typeof timed === 'string') {
      goal(size, work, '≤ 2×', `${timed} (${what})`);
      return;
    }
    results.push({ what, ratio: timed.ratio });
    const found = once(papers(...command, '--format', 'tsv'), folderEnv)
      .stdout.split('\n')
      .filter(Boolean)
      .map((row) => row.split('\t')[0]!);
    const allowed = new Set(wanted);
    if (found.some((id) => !allowed.has(id)) || (every ? found.length !== wanted.length : found.length === 0)) wrong.push(`${what} found ${found.length}`);
  }
  const slowest = results.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  goal(size, work, '≤ 2×', {
    measured: `${slowest.ratio.toFixed(2)}× (${slowest.what}); ${results.map((r) => `${r.ratio.toFixed(2)}×`).join(', ')}${wrong.length ? `; wrong: ${wrong.join(', ')}` : ''}`,
    met: atMost(slowest.ratio, 2) && wrong.length === 0,
  });
}

const node = once(['node', '-e', '0']);
console.error(`node -e 0: ${node.seconds.toFixed(3)} s; ${runs} runs each${gnuTime ? '' : '; no /usr/bin/time, so no peak memory'}`);

const shipped = loadCorpus(SHIPPED);
compare('shipped (83)', SHIPPED, ['--version']);
compare('shipped (83)', SHIPPED, ['search', 'hypernetwork']);
compare('shipped (83)', SHIPPED, ['search', 'graph', 'neural', 'networks']);
compare('shipped (83)', SHIPPED, ['list']);
compare('shipped (83)', SHIPPED, ['show', shipped[19]!.id]);
compare('shipped (83)', SHIPPED, ['related', shipped[19]!.id]);
compare('shipped (83)', SHIPPED, ['stats']);

for (const size of sizes) {
  // One input for both layouts: N records, the shipped papers spread among them (so the bench queries
  // find something), written a chunk at a time.
  const jsonl = jsonlFile(join(work, `arxiv-mixed-${size}.jsonl`), size, { seed: 4, mix: shipped });
  if (size <= SINGLE_FILE_MAX) singleFileRows(size, shipped, jsonl);
  else rows.push([`${fmt(size)} generated`, 'single-file rows', `skipped: no single-file corpus is built above ${fmt(SINGLE_FILE_MAX)} papers`]);
  folderRows(size, jsonl);
}

console.log(table(['corpus', 'command', 'median s', 'x node', 'peak MB'], rows, [2, 3, 4]));
console.log(`\nGoals (folder corpus; x node as above; single runs for imports and first searches)\n`);
console.log(table(['size', 'work', 'goal', 'met', 'measured'], goals, [0]));
