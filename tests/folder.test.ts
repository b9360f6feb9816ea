import { spawn as spawnAsync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arxivJsonlLines, generatePapers } from '../scripts/synthetic.js';
import type { Paper } from '../src/corpus/paper.js';
import { slugify } from '../src/corpus/slug.js';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import { cachePath } from '../src/index/cache.js';
import { openCorpus } from '../src/index/open.js';
import { parseQuery } from '../src/search/query.js';
import { rankPapers } from '../src/search/rank.js';
import { BIN, CACHE_DIR, run, SHIPPED_CORPUS, spawn, tempDir } from './helpers.js';
import { rewriteKept } from './forge.js';
import { CUTOFF, evaluate, loadJudgments } from './relevance/metrics.js';

const shipped = loadCorpus(SHIPPED_CORPUS);
const today = new Date().toISOString().slice(0, 10);
// Each writing command tags its new files with six random letters and digits: the names, tags masked.
const untagged = (names: string[]) => names.map((name) => name.replace(/-[a-z0-9]{6}\.yaml$/, '-TAG.yaml'));
const yamlFiles = (dir: string) => readdirSync(dir).filter((name) => /\.ya?ml$/.test(name) && !name.startsWith('.'));
const quietIo = (env: NodeJS.ProcessEnv) => ({
  stdout: { write: () => {} },
  stderr: { write: () => {} },
  isTTY: false,
  stderrIsTTY: false,
  columns: 100,
  color: false,
  colorMode: 'never' as const,
  env,
});

/** The shipped papers split over files of uneven sizes, in order: one corpus in a folder. */
function splitCorpus(sizes = [1, 20, 30]): string {
  const dir = join(tempDir(), 'corpus');
  mkdirSync(dir);
  let start = 0;
  [...sizes, shipped.length].forEach((size, i) => {
    const end = i === sizes.length ? shipped.length : start + size;
    writeFileSync(join(dir, `part-${i}.yaml`), serializeCorpus(shipped.slice(start, end)));
    start = end;
  });
  return dir;
}

function arxivRecords(count: number, seed: number): string {
  const file = join(tempDir(), `arxiv-${seed}.jsonl`);
  // Numbered apart, so that each seed's records have arXiv ids of their own.
  writeFileSync(file, `${[...arxivJsonlLines(generatePapers(count, { seed }), { seed, first: seed * 20_000 })].join('\n')}\n`);
  return file;
}

describe('a folder corpus ranks as the same papers in one file do', () => {
  const judgments = loadJudgments();
  const ranked = async (path: string, cache: boolean) => {
    const env = { PAPERS_CACHE_DIR: join(tempDir(), 'cache') };
    const index = (await openCorpus(path, cache, quietIo(env))).index();
    // Opened a second time, the folder's papers come from the caches and lexicon just written.
    const again = cache ? (await openCorpus(path, cache, quietIo(env))).index() : index;
    return (query: string) => {
      const first = rankPapers(index, parseQuery(query), CUTOFF).map((hit) => hit.paper.id);
      expect(rankPapers(again, parseQuery(query), CUTOFF).map((hit) => hit.paper.id)).toEqual(first);
      return first;
    };
  };

  it.each([
    ['with the cache', true],
    ['without the cache', false],
  ])('%s: every judged query gives the same papers in the same order, so the same nDCG and MRR', { timeout: 120_000 }, async (_label, cache) => {
    const single = await evaluate(judgments, await ranked(SHIPPED_CORPUS, cache));
    const folder = await evaluate(judgments, await ranked(splitCorpus(), cache));
    expect(folder.rows.map((row) => row.ranked)).toEqual(single.rows.map((row) => row.ranked));
    expect(folder.ndcg).toBe(single.ndcg);
    expect(folder.mrr).toBe(single.mrr);
    expect(single.ndcg).toBeGreaterThan(0.5);
  });

  it('search, list, show, related and stats print the same as for the single file', async () => {
    const folder = splitCorpus([5, 40]);
    const id = shipped[60]!.id;
    for (const args of [
      ['search', 'graph', 'neural', 'networks'],
      ['search', 'grpah', '--limit', '50'],
      ['search', 'gnn', '-code'],
      ['list', '--sort', 'title'],
      ['list', '--limit', '3'],
      ['show', id],
      ['show', id.slice(0, 12)],
      ['related', id],
      ['stats', '--format', 'tsv'],
      ['export', '--format', 'csv'],
      // Streamed a file at a time from a folder.
      ['export', '--format', 'ndjson'],
      ['export', '--format', 'ndjson', '--has-code', '--fields', 'id,code'],
    ]) {
      const one = await run(['--corpus', SHIPPED_CORPUS, ...args]);
      expect(await run(['--corpus', folder, ...args]), args.join(' ')).toEqual(one);
      expect(await run(['--no-cache', '--corpus', folder, ...args]), `--no-cache ${args.join(' ')}`).toEqual(one);
    }
    const [fromFile, fromFolder] = [join(tempDir(), 'one.ndjson'), join(tempDir(), 'folder.ndjson')];
    expect(await run(['--corpus', SHIPPED_CORPUS, 'export', '--format', 'ndjson', '-o', fromFile])).toEqual({
      code: 0,
      stdout: '',
      stderr: `wrote 83 papers to ${fromFile}\n`,
    });
    expect(await run(['--corpus', folder, 'export', '--format', 'ndjson', '-o', fromFolder])).toEqual({
      code: 0,
      stdout: '',
      stderr: `wrote 83 papers to ${fromFolder}\n`,
    });
    expect(readFileSync(fromFolder, 'utf8')).toBe(readFileSync(fromFile, 'utf8'));
  });
});

describe('importing into a folder', () => {
  it('a missing path ending in / becomes a folder corpus, and each import writes new files, never rewriting the others', async () => {
    const folder = join(tempDir(), 'lab') + '/';
    const first = arxivRecords(30, 11);
    expect(await run(['--corpus', folder, 'import', first])).toEqual({ code: 0, stdout: '', stderr: `${folder}: 30 added, 0 enriched, 0 already present\n` });
    expect(untagged(yamlFiles(folder))).toEqual([`${today}-0001-arxiv-11-TAG.yaml`]);
    const firstFile = yamlFiles(folder)[0]!;
    const written = readFileSync(join(folder, firstFile));
    const stat = statSync(join(folder, firstFile));
    expect(loadCorpus(join(folder, firstFile))).toHaveLength(30);

    const second = arxivRecords(10, 12);
    expect((await run(['--corpus', folder, 'import', second])).stderr).toBe(`${folder}: 10 added, 0 enriched, 0 already present\n`);
    expect(untagged(yamlFiles(folder))).toEqual([`${today}-0001-arxiv-11-TAG.yaml`, `${today}-0002-arxiv-12-TAG.yaml`]);
    expect(yamlFiles(folder)[0]).toBe(firstFile);
    expect(readFileSync(join(folder, firstFile)).equals(written)).toBe(true);
    expect(statSync(join(folder, firstFile)).mtimeMs).toBe(stat.mtimeMs);

    // The same input again adds nothing and writes nothing.
    expect((await run(['--corpus', folder, 'import', first])).stderr).toBe(`${folder}: 0 added, 0 enriched, 30 already present\n`);
    expect(yamlFiles(folder)).toHaveLength(2);
    const listed = await run(['--corpus', folder, 'list', '--format', 'tsv']);
    expect(listed.stdout.trim().split('\n')).toHaveLength(40);
  });

  it('an existing empty folder starts a folder corpus; a dry run writes nothing', async () => {
    const folder = join(tempDir(), 'empty');
    mkdirSync(folder);
    const input = arxivRecords(3, 13);
    const dry = await run(['--corpus', folder, 'import', '--dry-run', input]);
    expect(dry.code).toBe(0);
    expect(
      dry.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t')[0]),
    ).toEqual(['added', 'added', 'added']);
    expect(dry.stderr).toBe(`dry run, ${folder} unchanged: would import 3 added, 0 enriched, 0 already present\n`);
    expect(readdirSync(folder)).toEqual([]);
    expect((await run(['--corpus', folder, 'import', input])).code).toBe(0);
    expect(untagged(yamlFiles(folder))).toEqual([`${today}-0001-arxiv-13-TAG.yaml`]);
  });

  it('filling in a known paper rewrites only the file that holds it', async () => {
    const folder = splitCorpus([40]);
    const before = Object.fromEntries(yamlFiles(folder).map((name) => [name, readFileSync(join(folder, name))]));
    const target = shipped[50]!;
    const input = join(tempDir(), 'more.json');
    writeFileSync(input, JSON.stringify([{ ...target, doi: '10.1000/filled.in' }]));
    const result = await run(['--corpus', folder, 'import', input]);
    expect(result.stderr).toBe(`${folder}: 0 added, 1 enriched, 0 already present\n`);
    expect(yamlFiles(folder)).toEqual(['part-0.yaml', 'part-1.yaml']);
    expect(readFileSync(join(folder, 'part-0.yaml')).equals(before['part-0.yaml']!)).toBe(true);
    const rewritten = loadCorpus(join(folder, 'part-1.yaml'));
    expect(rewritten.find((p) => p.id === target.id)!.doi).toBe('10.1000/filled.in');
    expect(rewritten.map((p) => p.id)).toEqual(shipped.slice(40).map((p) => p.id));
  });

  it("a few papers find, in every file's cache, the papers they share a key with and the ids taken", async () => {
    const folder = splitCorpus([40]);
    // The files' caches are made first: an import of a few papers looks keys and ids up in them.
    expect((await run(['--corpus', folder, 'list'])).code).toBe(0);
    const own = (p: Paper) => p.id === slugify(p.title);
    const [early, late] = [shipped.slice(0, 40).find(own)!, shipped.slice(40).find(own)!];
    const known = shipped[70]!;
    // "The" is left out of a slug but not of a title key: new papers whose slugs are ids taken in either file.
    const fresh = (p: Paper) => ({ title: `The ${p.title}`, abstract: `Another look at ${p.title}.` });
    const input = join(tempDir(), 'few.json');
    writeFileSync(
      input,
      JSON.stringify([fresh(early), fresh(late), { title: known.title.toUpperCase(), abstract: known.abstract, doi: '10.1000/found.again' }]),
    );
    expect((await run(['--corpus', folder, 'import', input])).stderr).toBe(`${folder}: 2 added, 1 enriched, 0 already present\n`);
    const ids = (await run(['--corpus', folder, 'list', '--format', 'tsv'])).stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t')[0]);
    expect(ids).toHaveLength(shipped.length + 2);
    expect(ids).toContain(`${early.id}-2`);
    expect(ids).toContain(`${late.id}-2`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(loadCorpus(join(folder, 'part-1.yaml')).find((p) => p.id === known.id)!.doi).toBe('10.1000/found.again');
  });

  it('a large import is split into files of 5,000 papers', { timeout: 120_000 }, async () => {
    const folder = join(tempDir(), 'big') + '/';
    const result = spawn(['--corpus', folder, 'import', arxivRecords(5_005, 14)]);
    expect(result).toEqual({ code: 0, stdout: '', stderr: `${folder}: 5005 added, 0 enriched, 0 already present\n` });
    expect(untagged(yamlFiles(folder))).toEqual([`${today}-0001-arxiv-14-TAG.yaml`, `${today}-0002-arxiv-14-TAG.yaml`]);
    // One command, one tag: its files sort in the order it wrote them.
    expect(new Set(yamlFiles(folder).map((name) => name.slice(-11))).size).toBe(1);
    expect(loadCorpus(join(folder, yamlFiles(folder)[0]!))).toHaveLength(5_000);
    expect(loadCorpus(join(folder, yamlFiles(folder)[1]!))).toHaveLength(5);
    expect(spawn(['--corpus', folder, 'stats', '--format', 'tsv']).stdout).toMatch(/^papers\t5005\n/);
  });

  /** A folder with a file large enough to be read from its cache word by word, and what each command prints without the cache. */
  function largeFolder() {
    const folder = join(tempDir(), 'large') + '/';
    const env = { PAPERS_CACHE_DIR: join(tempDir(), 'cache') };
    spawn(['--corpus', folder, 'import', arxivRecords(5_010, 15)], { env });
    const { id, categories } = loadCorpus(join(folder, yamlFiles(folder)[0]!))[4_321]!;
    const commands = [
      ['search', 'graph', 'neural', 'networks'],
      ['search', 'title:networks', `cat:${categories![0]!}`],
      ['search', 'learning', '--since', '2020-01-01', '-code'],
      ['show', id],
      ['show', id.slice(0, 7)],
      ['list', '--limit', '3'],
      // Vector lengths worked out a file at a time, then kept beside the lexicon.
      ['related', id],
    ];
    const truth = commands.map((args) => spawn(['--no-cache', '--corpus', folder, ...args], { env }));
    expect(truth.every((result) => result.code === 0 && result.stdout !== '')).toBe(true);
    const same = () => commands.forEach((args, i) => expect(spawn(['--corpus', folder, ...args], { env }), args.join(' ')).toEqual(truth[i]));
    return { folder, env, same };
  }

  it("a large folder prints what it prints without the cache, and a file's cache removed behind a current lexicon is rebuilt", { timeout: 60_000 }, () => {
    const { folder, env, same } = largeFolder();
    same();
    expect(existsSync(`${cachePath(folder, env)}.norms`)).toBe(true);
    same();
    const segment = cachePath(join(folder, yamlFiles(folder)[1]!), env);
    rmSync(segment);
    same();
    expect(existsSync(segment)).toBe(true);
  });

  it('a flipped byte in any part of the lexicon a command reads is caught, and the lexicon rebuilt', { timeout: 60_000 }, () => {
    const { folder, env, same } = largeFolder();
    same();
    const lexicon = cachePath(folder, env);
    // The container: a magic line, the header's length, the header (where each section lies), then the sections.
    const bytes = readFileSync(lexicon);
    const length = bytes.readUInt32LE(13);
    const sections = (JSON.parse(bytes.subarray(17, 17 + length).toString()) as { sections: Record<string, [number, number]> }).sections;
    const start = (name: string) => 17 + length + sections[name]![0];
    const text = (name: string) => bytes.subarray(start(name), start(name) + sections[name]![1]).toString();
    const word = text('vocab').split('\n').indexOf('networks');
    const refs = bytes.readUInt32LE(start('refStarts') + 4 * word);
    // The id table: a pair a slot, an id's hash and its paper's number plus one (the shown paper is the 4,322nd).
    const slots = new Uint32Array(bytes.buffer.slice(bytes.byteOffset + start('idSlots'), bytes.byteOffset + start('idSlots') + sections.idSlots![1]));
    const slot = slots.findIndex((value, i) => i % 2 === 1 && value === 4_322);
    expect(word).toBeGreaterThan(0);
    expect(slot).toBeGreaterThan(0);
    const targets = {
      vocab: start('vocab') + Math.floor(sections.vocab![1] / 2),
      vocabStarts: start('vocabStarts') + Math.floor(sections.vocabStarts![1] / 2),
      vocabChecks: start('vocabChecks') + Math.floor(sections.vocabChecks![1] / 2),
      refStarts: start('refStarts') + 4 * word + 1,
      refSegments: start('refSegments') + 4 * refs,
      refWords: start('refWords') + 4 * refs,
    };
    for (const [name, at] of Object.entries(targets)) {
      const damaged = readFileSync(lexicon);
      const before = damaged[at]!;
      damaged[at] = before ^ 0x01;
      writeFileSync(lexicon, damaged);
      same();
      expect(readFileSync(lexicon)[at], name).toBe(before);
    }
    // A slot of the id table points elsewhere: the paper found there is not the one asked for, and each file's own table finds it.
    const damaged = readFileSync(lexicon);
    damaged.writeUInt32LE(1, start('idSlots') + 4 * slot);
    writeFileSync(lexicon, damaged);
    same();
  });

  it('a killed import leaves every file whole, and importing again completes it', { timeout: 120_000 }, async () => {
    const folder = join(tempDir(), 'killed') + '/';
    const input = arxivRecords(16_000, 18);
    const child = spawnAsync(BIN, ['--corpus', folder, 'import', input], { env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR }, stdio: 'ignore' });
    const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    // Killed once its first file is written, while the writer threads are at work on the next ones.
    const started = Date.now();
    while (!(existsSync(folder) && yamlFiles(folder).length > 0) && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await closed).toBe('SIGKILL');
    const written = yamlFiles(folder);
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(4);
    // Each file there is whole: it loads, with all of its papers.
    for (const name of written) expect(loadCorpus(join(folder, name))).toHaveLength(5_000);
    const again = spawn(['--corpus', folder, 'import', input]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`${folder}: ${16_000 - 5_000 * written.length} added, 0 enriched, ${5_000 * written.length} already present\n`);
    expect(spawn(['--corpus', folder, 'stats', '--format', 'tsv']).stdout).toMatch(/^papers\t16000\n/);
  });

  it('two imports at once take turns and keep every paper', { timeout: 60_000 }, async () => {
    const folder = join(tempDir(), 'shared') + '/';
    const inputs = [arxivRecords(50, 15), arxivRecords(50, 16), arxivRecords(50, 17)];
    const results = await Promise.all(
      inputs.map(
        (input) =>
          new Promise<number | null>((resolve) =>
            spawnAsync(BIN, ['--corpus', folder, 'import', input], { env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR }, stdio: 'ignore' }).on(
              'close',
              resolve,
            ),
          ),
      ),
    );
    expect(results).toEqual([0, 0, 0]);
    expect(yamlFiles(folder)).toHaveLength(3);
    const ids = spawn(['--corpus', folder, 'list', '--format', 'tsv']).stdout.trim().split('\n');
    expect(ids).toHaveLength(150);
    expect(readdirSync(folder).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});

describe('a folder corpus edited by hand', () => {
  const edit = (file: string, change: (papers: Paper[]) => Paper[]) => writeFileSync(file, serializeCorpus(change(loadCorpus(file))));

  it('sees an edited, a deleted and an added paper at the next command, re-reading only the changed file', async () => {
    const folder = splitCorpus([40]);
    const env = { PAPERS_CACHE_DIR: join(tempDir(), 'cache') };
    expect((await run(['--corpus', folder, 'search', 'hypernetwork'], { env })).code).toBe(0);
    const untouched = cachePath(join(folder, 'part-0.yaml'), env);
    const kept = statSync(untouched);
    const [first, second] = [shipped[45]!, shipped[46]!];
    edit(join(folder, 'part-1.yaml'), (papers) =>
      papers.filter((p) => p.id !== second.id).map((p) => (p.id === first.id ? { ...p, title: 'Zyxwv quokka sightings' } : p)),
    );
    const found = await run(['--corpus', folder, 'search', 'quokka', '--format', 'tsv'], { env });
    expect(found.stdout).toMatch(new RegExp(`^${first.id}\\tZyxwv quokka sightings\\t`));
    expect((await run(['--corpus', folder, 'show', second.id], { env })).code).toBe(1);
    expect((await run(['--corpus', folder, 'list', '--format', 'tsv'], { env })).stdout.trim().split('\n')).toHaveLength(shipped.length - 1);
    // The other file's cache was read, not rebuilt.
    expect(statSync(untouched).mtimeMs).toBe(kept.mtimeMs);
    expect(statSync(untouched).ino).toBe(kept.ino);
    // A new file dropped into the folder is part of the corpus at once; a removed one is gone.
    writeFileSync(join(folder, 'extra.yml'), serializeCorpus([{ ...second, id: 'brand-new-paper', title: 'Wombat burrows' }]));
    expect((await run(['--corpus', folder, 'search', 'wombat', '--format', 'tsv'], { env })).stdout).toMatch(/^brand-new-paper\t/);
  });

  it('reads a paper held in two files once, from the first file in name order, with a warning', async () => {
    const folder = splitCorpus([40]);
    // Once with the cache built for the files as they were, so that only the new file is checked against the others.
    expect((await run(['--corpus', folder, 'list'])).code).toBe(0);
    writeFileSync(join(folder, 'again.yaml'), serializeCorpus([shipped[3]!]));
    const ids = [shipped[3]!.id, ...shipped.filter((_, i) => i !== 3).map((p) => p.id)];
    for (const args of [['list'], ['--no-cache', 'list']]) {
      const result = await run(['--corpus', folder, ...args]);
      expect(result).toMatchObject({
        code: 0,
        stderr: `papers: warning: 1 paper is in ${folder} twice (the same id, arXiv id or DOI in two places), read as one; \`papers doctor\` lists them, \`papers doctor --fix\` repairs the files\n`,
      });
      expect(
        result.stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split('\t')[0]),
      ).toEqual(ids);
    }
  });

  it('names the file and line of a broken file', async () => {
    const folder = splitCorpus([40]);
    writeFileSync(join(folder, 'part-1.yaml'), 'papers:\n  - id: x\n    title: [unclosed\n');
    const result = await run(['--corpus', folder, 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^papers: ${join(folder, 'part-1.yaml')}:\\d+: invalid YAML`));
  });

  it('indexes many files without a cache on the writer threads, and still names a broken one', () => {
    // The installed command, whose thread code is built: five files, none with a cache yet.
    const folder = splitCorpus([10, 20, 20, 20]);
    const env = { PAPERS_CACHE_DIR: join(tempDir(), 'cache') };
    const plain = spawn(['--no-cache', '--corpus', folder, 'search', 'graph', '--format', 'tsv']);
    expect(plain.code).toBe(0);
    expect(spawn(['--corpus', folder, 'search', 'graph', '--format', 'tsv'], { env })).toEqual(plain);
    for (const name of yamlFiles(folder)) expect(existsSync(cachePath(join(folder, name), env)), name).toBe(true);
    expect(spawn(['--corpus', folder, 'search', 'graph', '--format', 'tsv'], { env })).toEqual(plain);
    const listed = spawn(['--corpus', folder, 'list', '--format', 'tsv'], { env });
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t')[0]),
    ).toEqual(shipped.map((p) => p.id));

    const broken = splitCorpus([10, 20, 20, 20]);
    writeFileSync(join(broken, 'part-2.yaml'), 'papers:\n  - id: x\n    title: [unclosed\n');
    const result = spawn(['--corpus', broken, 'list'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^papers: ${join(broken, 'part-2.yaml')}:\\d+: invalid YAML[^\\n]*\\n$`));
    // The files before it were indexed and kept.
    expect(existsSync(cachePath(join(broken, 'part-1.yaml'), env))).toBe(true);
  });

  it('refuses an export written into the folder as YAML, which would join the corpus', async () => {
    const folder = splitCorpus([40]);
    expect(await run(['--corpus', folder, 'export', '--format', 'yaml', '-o', join(folder, 'all.yaml')])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: \`${join(folder, 'all.yaml')}\` would become part of the corpus folder; write the export outside it\n`,
    });
    expect(yamlFiles(folder)).toEqual(['part-0.yaml', 'part-1.yaml']);
    expect((await run(['--corpus', folder, 'export', '--format', 'json', '-o', join(folder, 'all.json')])).code).toBe(0);
  });

  it('says how to start one when the folder is missing', async () => {
    const folder = join(tempDir(), 'nothing') + '/';
    expect(await run(['--corpus', folder, 'list'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${folder}: no corpus folder here; create one with \`papers --corpus FOLDER/ import FILE\`\n`,
    });
  });
});

describe('a large corpus', () => {
  it('suggests the id meant for a mistyped one, looking only at ids that share enough letter pairs with it', { timeout: 60_000 }, () => {
    const corpus = join(tempDir(), 'large.yaml');
    const papers = generatePapers(20_001, { seed: 21 });
    writeFileSync(corpus, serializeCorpus(papers));
    const { id } = papers[12_345]!;
    const typo = id.slice(0, 6) + id.slice(7);
    const result = spawn(['--corpus', corpus, 'show', typo]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^papers: no paper with id \`${typo}\`; did you mean ${id}[,?]`));
  });

  it('has its keywords worked out from 20,000 papers spread evenly through it, and says so', { timeout: 60_000 }, () => {
    const corpus = join(tempDir(), 'large.yaml');
    writeFileSync(corpus, serializeCorpus(generatePapers(20_001, { seed: 22 })));
    const tsv = spawn(['--corpus', corpus, 'stats', '--format', 'tsv']);
    expect(tsv.stdout).toMatch(/^papers\t20001\nwith-code\t\d+\n(date\t.*\n)+keyword-sample\t20000\n(keyword\t[^\t]+\t\d+\n){15}$/);
    const json = JSON.parse(spawn(['--corpus', corpus, 'stats', '--format', 'json']).stdout) as { keywordSample: number; keywords: unknown[] };
    expect([json.keywordSample, json.keywords.length]).toEqual([20_000, 15]);
    const chart = spawn(['--corpus', corpus, 'stats', '--format', 'table']);
    expect(chart.stdout).toContain('Distinctive keywords (papers, of 20000 evenly spread)');
  });
});

describe("a folder's stats", () => {
  it('are kept beside its lexicon until one of its files changes', () => {
    const folder = splitCorpus();
    const env = { PAPERS_CACHE_DIR: join(tempDir(), 'cache') };
    const stats = () => spawn(['--corpus', folder, 'stats', '--format', 'tsv'], { env });
    const truth = spawn(['--corpus', SHIPPED_CORPUS, 'stats', '--format', 'tsv'], { env });
    expect(stats()).toEqual(truth);
    const kept = `${cachePath(folder, env)}.stats`;
    rewriteKept(kept, (text) => text.replace('"papers":83', '"papers":84'));
    expect(stats().stdout).toMatch(/^papers\t84\n/);
    writeFileSync(join(folder, 'part-1.yaml'), `${readFileSync(join(folder, 'part-1.yaml'), 'utf8')}\n`);
    expect(stats()).toEqual(truth);
  });
});
