// Saved searches (`papers watch`) and `papers news`, through the built binary, on a corpus file and a corpus
// folder; and the line `pull`, `add` and `import` write for saved searches with new matches.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Paper } from '../src/corpus/paper.js';
import { serializeCorpus } from '../src/corpus/store.js';
import { spawn, tempDir, testPaper } from './helpers.js';
import { spawnAsync, startService, type Service } from './service.js';

const today = () => new Date().toISOString().slice(0, 10);

const OLD: Paper[] = [
  testPaper('latent-diffusion-models', { title: 'Latent Diffusion Models', daily: '2024-01-10' }),
  testPaper('graph-attention-networks', { title: 'Graph Attention Networks', daily: '2024-01-11' }),
];
const NEW: Paper[] = [
  testPaper('video-diffusion-transformers', { title: 'Video Diffusion Transformers', daily: '2024-03-02' }),
  testPaper('diffusion-for-proteins', { title: 'Diffusion for Proteins', daily: '2024-03-05', code: 'https://github.com/a/b' }),
  testPaper('sparse-graph-transformers', { title: 'Sparse Graph Transformers', daily: '2024-03-03' }),
];

/** A corpus file of the old papers, and a file of new ones to import. */
function fileCorpus() {
  const dir = tempDir();
  const corpus = join(dir, 'papers.yaml');
  writeFileSync(corpus, serializeCorpus(OLD));
  const more = join(dir, 'more.yaml');
  writeFileSync(more, serializeCorpus(NEW));
  const papers = (...args: string[]) => spawn(['--corpus', corpus, ...args]);
  return { dir, corpus, more, papers, watchFile: join(dir, '.papers.watch.yaml') };
}

describe('papers watch', () => {
  it('saves a search with the papers matching it now as seen, lists it, and keeps it in a hidden file beside the corpus', () => {
    const { dir, papers, watchFile } = fileCorpus();
    expect(papers('watch', 'add', 'diffusion', 'diffusion', '-video')).toEqual({
      code: 0,
      stdout: '',
      stderr: 'saved `diffusion`: 1 paper matches now; papers news will show the ones that arrive from now on\n',
    });
    expect(papers('watch', 'add', 'graphs', 'title:graph')).toMatchObject({ code: 0 });
    expect(readdirSync(dir).sort()).toEqual(['.papers.watch.yaml', 'more.yaml', 'papers.yaml']);
    expect(readFileSync(watchFile, 'utf8')).toBe(
      [
        '# Saved searches of papers (papers watch add/list/rm, papers news). Edit freely: `seen` lists the papers',
        '# news has already shown (or that matched when the search was saved); remove an id to see it again.',
        '',
        'searches:',
        '  - name: diffusion',
        '    query: diffusion -video',
        `    added: "${today()}"`,
        '    seen:',
        '      - latent-diffusion-models',
        '  - name: graphs',
        '    query: title:graph',
        `    added: "${today()}"`,
        '    seen:',
        '      - graph-attention-networks',
        '',
      ].join('\n'),
    );
    expect(papers('watch', 'list')).toEqual({ code: 0, stdout: 'diffusion\tdiffusion -video\t\ngraphs\ttitle:graph\t\n', stderr: '' });
    expect(JSON.parse(papers('watch', 'list', '--format', 'json').stdout)).toEqual([
      { name: 'diffusion', query: 'diffusion -video', added: today(), shown: null, seen: ['latent-diffusion-models'] },
      { name: 'graphs', query: 'title:graph', added: today(), shown: null, seen: ['graph-attention-networks'] },
    ]);
  });

  it('refuses a name in use (unless --force), a bad name, a bad query and an --option among the words, writing nothing', () => {
    const { papers, watchFile } = fileCorpus();
    papers('watch', 'add', 'diffusion', 'diffusion');
    const before = readFileSync(watchFile, 'utf8');
    expect(papers('watch', 'add', 'diffusion', 'proteins')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: a search named `diffusion` is saved already (`diffusion`); use --force to replace it, or another name\n',
    });
    expect(papers('watch', 'add', 'Diffusion', 'x')).toEqual({
      code: 2,
      stdout: '',
      stderr: "papers: a saved search's name is one lower-case word of letters, digits, - and _ (at most 40), not `Diffusion`\n",
    });
    expect(papers('watch', 'add', 'neg', '-diffusion')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: the query only excludes words: add a word to search for\n',
    });
    expect(papers('watch', 'add', 'typo', 'diffusion', '--froce')).toEqual({
      code: 2,
      stdout: '',
      stderr: "papers: unknown option '--froce' (see papers watch add --help)\n",
    });
    expect(readFileSync(watchFile, 'utf8')).toBe(before);
    expect(papers('watch', 'add', '--force', 'diffusion', 'proteins')).toMatchObject({ code: 0, stderr: expect.stringMatching(/^replaced `diffusion`/) });
    expect(papers('watch', 'list').stdout).toBe('diffusion\tproteins\t\n');
  });

  it('rm removes a search; an unknown name is exit 1 with the closest saved names', () => {
    const { papers } = fileCorpus();
    papers('watch', 'add', 'diffusion', 'diffusion');
    papers('watch', 'add', 'graphs', 'graph');
    expect(papers('watch', 'rm', 'difusion')).toEqual({ code: 1, stdout: '', stderr: 'papers: no saved search named `difusion`; did you mean diffusion?\n' });
    expect(papers('watch', 'rm', 'zzz')).toEqual({ code: 1, stdout: '', stderr: 'papers: no saved search named `zzz`; saved: diffusion, graphs\n' });
    expect(papers('watch', 'rm', 'graphs')).toEqual({ code: 0, stdout: '', stderr: 'removed `graphs` (graph)\n' });
    expect(papers('watch', 'list').stdout).toBe('diffusion\tdiffusion\t\n');
    papers('watch', 'rm', 'diffusion');
    expect(papers('watch', 'list')).toEqual({ code: 1, stdout: '', stderr: 'papers: no saved searches; save one with `papers watch add NAME QUERY`\n' });
  });

  it('searches saved at the same moment are all kept: each is written under the corpus lock', async () => {
    const { papers, corpus } = fileCorpus();
    const names = ['one', 'two', 'three', 'four', 'five'];
    const results = await Promise.all(names.map((name) => spawnAsync(['--corpus', corpus, 'watch', 'add', name, 'diffusion'])));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(
      papers('watch', 'list')
        .stdout.split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')[0])
        .sort(),
    ).toEqual([...names].sort());
  });

  it('an export is never written over the saved searches', () => {
    const { papers, watchFile } = fileCorpus();
    papers('watch', 'add', 'diffusion', 'diffusion');
    const before = readFileSync(watchFile, 'utf8');
    expect(papers('export', '--format', 'yaml', '-o', watchFile)).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: \`${watchFile}\` is the corpus's saved searches; write the export to another file\n`,
    });
    expect(readFileSync(watchFile, 'utf8')).toBe(before);
  });

  it('a hand-edited file with a mistake is refused with its file and line', () => {
    const { papers, watchFile } = fileCorpus();
    writeFileSync(watchFile, 'searches:\n  - name: mine\n    query: diffusion\n    added: 2026-12-01\n    shown: 2026-12-02\n    seen:\n');
    expect(papers('watch', 'list')).toEqual({ code: 0, stdout: 'mine\tdiffusion\t2026-12-02\n', stderr: '' });
    expect(papers('news', '--format', 'json', '--dry-run').stdout).toContain('"id": "latent-diffusion-models"');
    writeFileSync(watchFile, 'searches:\n  - name: mine\n    query: diffusion\n    added: 12/01/2026\n');
    expect(papers('watch', 'list')).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${watchFile}:4: search 1: \`added\` must be a day written YYYY-MM-DD, not \`12/01/2026\`\n`,
    });
    writeFileSync(watchFile, 'searches:\n  - name: ok\n    query: diffusion\n  - name: bad\n    query: "a | "\n');
    expect(papers('watch', 'list')).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${watchFile}:5: search 2: the query \`a |\`: \`|\` needs a word on each side: a | b\n`,
    });
    writeFileSync(watchFile, 'searches:\n  - name: ok\n    query: diffusion\n    colour: red\n');
    expect(papers('news')).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${watchFile}:4: search 1: unknown field \`colour\` (fields are name, query, added, shown, seen)\n`,
    });
  });
});

describe('papers news', () => {
  it('after an import says which saved searches have new matches, then news shows them newest first, once', () => {
    const { corpus, more, papers } = fileCorpus();
    papers('watch', 'add', 'diffusion', 'diffusion');
    papers('watch', 'add', 'graphs', 'title:graph');
    papers('watch', 'add', 'quiet', 'hopfield');
    expect(papers('import', more)).toEqual({
      code: 0,
      stdout: '',
      stderr: `${corpus}: 3 added, 0 enriched, 0 already present\ndiffusion: 2 new\ngraphs: 1 new\n`,
    });
    // The import only tells: the papers are still news.
    expect(papers('news', '--dry-run')).toMatchObject({ code: 0 });
    expect(papers('news')).toEqual({
      code: 0,
      stdout: [
        'diffusion-for-proteins\tDiffusion for Proteins\t2024-03-05\tdiffusion',
        'video-diffusion-transformers\tVideo Diffusion Transformers\t2024-03-02\tdiffusion',
        'sparse-graph-transformers\tSparse Graph Transformers\t2024-03-03\tgraphs',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(papers('news')).toEqual({ code: 1, stdout: '', stderr: 'papers: nothing new for 3 saved searches since the last papers news\n' });
    expect(papers('watch', 'list').stdout).toBe(`diffusion\tdiffusion\t${today()}\ngraphs\ttitle:graph\t${today()}\nquiet\thopfield\t\n`);
    // Shown papers are not news again after a second import of the same file.
    expect(papers('import', more).stderr).toBe(`${corpus}: 0 added, 0 enriched, 3 already present\n`);
  });

  it('--dry-run shows without remembering; --since shows every match of that date or later, shown before or not', () => {
    const { more, papers } = fileCorpus();
    papers('watch', 'add', 'diffusion', 'diffusion');
    papers('import', more);
    const peek = papers('news', '--dry-run');
    expect(peek.code).toBe(0);
    expect(papers('news', '--dry-run')).toEqual(peek);
    papers('news');
    expect(papers('news', '--since', '2024-01', '--format', 'json')).toMatchObject({ code: 0 });
    expect(
      JSON.parse(papers('news', '--since', '2024-01', '--format', 'json').stdout).map((g: { search: string; papers: Paper[] }) => [
        g.search,
        g.papers.map((p) => p.id),
      ]),
    ).toEqual([['diffusion', ['diffusion-for-proteins', 'video-diffusion-transformers', 'latent-diffusion-models']]]);
    expect(papers('news', '--since', '2025')).toEqual({ code: 1, stdout: '', stderr: 'papers: nothing new for the saved search dated 2025 or later\n' });
    expect(papers('news', '--since', 'March')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: --since takes a date written YYYY-MM-DD (or YYYY-MM, YYYY), not `March`\n',
    });
  });

  it('--format markdown is a digest to mail, a section a search with news', () => {
    const { more, papers } = fileCorpus();
    papers('watch', 'add', 'code_diffusion', 'diffusion has:code');
    papers('watch', 'add', 'graphs', 'title:graph');
    papers('import', more);
    expect(papers('news', '--format', 'markdown')).toEqual({
      code: 0,
      stdout: [
        `# Papers news, ${today()}`,
        '',
        '## code\\_diffusion: 1 new paper',
        '',
        '`diffusion has:code`',
        '',
        '- **Diffusion for Proteins** (`diffusion-for-proteins`), Mar 1\\',
        '  The abstract of diffusion-for-proteins.\\',
        '  [code](<https://github.com/a/b>)',
        '',
        '## graphs: 1 new paper',
        '',
        '`title:graph`',
        '',
        '- **Sparse Graph Transformers** (`sparse-graph-transformers`), Mar 1\\',
        '  The abstract of sparse-graph-transformers.',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('without saved searches is exit 1 and says how to save one', () => {
    const { papers } = fileCorpus();
    expect(papers('news')).toEqual({ code: 1, stdout: '', stderr: 'papers: no saved searches; save one with `papers watch add NAME QUERY`\n' });
  });

  it('in a corpus folder: the file is hidden inside it and never read as part of the corpus', () => {
    const { more } = fileCorpus();
    const folder = join(tempDir(), 'library');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.yaml'), serializeCorpus(OLD));
    const papers = (...args: string[]) => spawn(['--corpus', folder, ...args]);
    papers('watch', 'add', 'diffusion', 'diffusion');
    expect(readdirSync(folder).filter((name) => name.includes('watch'))).toEqual(['.papers.watch.yaml']);
    expect(papers('list').stdout.split('\n').filter(Boolean)).toHaveLength(2);
    const imported = papers('import', more);
    expect(imported.code).toBe(0);
    expect(imported.stderr.endsWith('\ndiffusion: 2 new\n')).toBe(true);
    expect(papers('news').stdout).toBe(
      'diffusion-for-proteins\tDiffusion for Proteins\t2024-03-05\tdiffusion\nvideo-diffusion-transformers\tVideo Diffusion Transformers\t2024-03-02\tdiffusion\n',
    );
    expect(papers('list').stdout.split('\n').filter(Boolean)).toHaveLength(5);
    expect(papers('news').code).toBe(1);
  });
});

describe('imports and saved searches', () => {
  const services: Service[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  it('an import goes on when the saved-search file has a mistake, and says so', () => {
    const { corpus, more, papers, watchFile } = fileCorpus();
    writeFileSync(watchFile, 'searches:\n  - name: x\n');
    expect(papers('import', more)).toEqual({
      code: 0,
      stdout: '',
      stderr: `papers: ${watchFile}:2: search 1: missing \`query\`; add one (saved searches not checked)\n${corpus}: 3 added, 0 enriched, 0 already present\n`,
    });
    expect(papers('list').stdout.split('\n').filter(Boolean)).toHaveLength(5);
  });

  it('an import --dry-run says nothing of saved searches', () => {
    const { corpus, more, papers } = fileCorpus();
    papers('watch', 'add', 'diffusion', 'diffusion');
    expect(papers('import', more, '--dry-run').stderr).toBe(`dry run, ${corpus} unchanged: would import 3 added, 0 enriched, 0 already present\n`);
  });

  it('add says which saved searches its papers are new to', async () => {
    const feed = readFileSync(join(import.meta.dirname, 'fixtures', 'sources', 'arxiv', 'feed.xml'));
    const arxiv = await startService(() => ({ body: feed, headers: { 'content-type': 'application/atom+xml; charset=UTF-8' } }));
    services.push(arxiv);
    const { corpus } = fileCorpus();
    const papers = (...args: string[]) => spawnAsync(['--corpus', corpus, ...args], { env: { PAPERS_ARXIV_ENDPOINT: arxiv.url, PAPERS_RETRY_DELAY_MS: '20' } });
    await papers('watch', 'add', 'jupiters', 'hot jupiters');
    expect(await papers('add', '2405.13786', 'astro-ph/0601001', '2104.12255')).toEqual({
      code: 0,
      stdout: '',
      stderr: `${corpus}: 3 added, 0 enriched, 0 already present\njupiters: 1 new\n`,
    });
  });

  it('pull says, on stderr, how many papers each saved search has new, without marking them shown', async () => {
    const day = readFileSync(join(import.meta.dirname, 'fixtures', 'sources', 'hf', 'daily_papers.json'));
    const hf = await startService(() => ({ body: day }));
    services.push(hf);
    const { corpus } = fileCorpus();
    const env = { PAPERS_HF_ENDPOINT: hf.url, PAPERS_RETRY_DELAY_MS: '20' };
    const papers = (...args: string[]) => spawnAsync(['--corpus', corpus, ...args], { env });
    await papers('watch', 'add', 'sparse', 'sparse autoencoders');
    await papers('watch', 'add', 'agents', 'code agent');
    await papers('watch', 'add', 'nothing', 'hopfield');
    expect(await papers('pull', '--date', '2024-10-23')).toEqual({
      code: 0,
      stdout: '',
      stderr: '2024-10-23: 3 papers: 3 added, 0 enriched, 0 already present\nsparse: 1 new\nagents: 1 new\n',
    });
    const shown = await papers('news');
    expect(shown.code).toBe(0);
    expect(
      shown.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')[3]),
    ).toEqual(['sparse', 'agents']);
  });
});
