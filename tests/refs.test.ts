import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAPER_FIELDS } from '../src/corpus/paper.js';
import { BIN, CACHE_DIR, ROOT, spawn, tempDir } from './helpers.js';
import { PTY_UNAVAILABLE, runInPty } from './pty.js';

// A pseudo-terminal run starts the whole program; on a busy machine a few of them take seconds.
const PTY_TIMEOUT = 60_000;

const AUTHORS = Array.from({ length: 12 }, (_, i) => `Author Number${i + 1} Surname${i + 1}`);
const JOURNAL = 'Proceedings of the Thirty-Sixth Annual Conference on Neural Information Processing Systems, Workshop on Very Long Names';

const CORPUS = `papers:
  - id: attention-all-you-need
    title: Attention Is All You Need
    authors: [Ashish Vaswani, Noam Shazeer]
    date: null
    published: "2017-06-12"
    source: arxiv.xml
    arxiv: "1706.03762"
    doi: 10.48550/arXiv.1706.03762
    code: null
    links: []
    abstract: The dominant sequence transduction models are based on recurrent neural networks with attention.
  - id: string-theory-old
    title: Dualities in String Theory
    date: null
    source: arxiv.jsonl
    arxiv: hep-th/9901001
    code: null
    links: []
    abstract: We review dualities between string theories and attention to detail.
  - id: graph-attention-networks
    title: Graph Attention Networks
    authors:
${AUTHORS.map((a) => `      - ${a}`).join('\n')}
    date: null
    published: "2018-02-04"
    source: openreview.json
    doi: 10.1145/3292500.3330701
    journal: ${JOURNAL}
    url: https://openreview.net/forum?id=rJXMpikCZ
    code: null
    links: []
    upvotes: 64
    abstract: We present graph attention networks, neural networks that operate on graph-structured data with attention.
  - id: graph-convolutional-networks
    title: Graph Convolutional Networks
    date: Mar 11
    source: digest.txt
    code: null
    links: []
    abstract: Graph convolutional networks for semi-supervised classification of graph nodes.
`;

function corpus(): string[] {
  const file = join(tempDir(), 'papers.yaml');
  writeFileSync(file, CORPUS);
  return ['--corpus', file];
}

const idsOf = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t')[0]);
// The ids of a CSV export of the one field `id`, without its header.
const csvIds = (stdout: string) => stdout.split('\r\n').slice(1, -1);

describe('one resolver for every command that names a paper', () => {
  it.each([
    ['attention-all-you-need', 'attention-all-you-need'],
    ['attention', 'attention-all-you-need'],
    ['1706.03762', 'attention-all-you-need'],
    ['1706.03762v7', 'attention-all-you-need'],
    ['arXiv:1706.03762v2', 'attention-all-you-need'],
    ['https://arxiv.org/abs/1706.03762', 'attention-all-you-need'],
    ['https://arxiv.org/abs/1706.03762v5', 'attention-all-you-need'],
    ['https://arxiv.org/pdf/1706.03762v1.pdf', 'attention-all-you-need'],
    ['https://huggingface.co/papers/1706.03762', 'attention-all-you-need'],
    ['10.48550/arXiv.1706.03762', 'attention-all-you-need'],
    ['hep-th/9901001', 'string-theory-old'],
    ['hep-th/9901001v2', 'string-theory-old'],
    ['https://arxiv.org/abs/hep-th/9901001', 'string-theory-old'],
    ['10.1145/3292500.3330701', 'graph-attention-networks'],
    ['doi:10.1145/3292500.3330701', 'graph-attention-networks'],
    ['https://doi.org/10.1145/3292500.3330701', 'graph-attention-networks'],
    ['10.1145/3292500.3330701'.toUpperCase(), 'graph-attention-networks'],
    ['https://doi.org/10.1145%2F3292500.3330701', 'graph-attention-networks'],
    ['https://openreview.net/forum?id=rJXMpikCZ', 'graph-attention-networks'],
    ['HTTP://www.OpenReview.net/forum?id=rJXMpikCZ/', 'graph-attention-networks'],
  ])('%s names %s in show, open, related, export and refresh', (ref, id) => {
    const c = corpus();
    expect(spawn([...c, 'show', ref, '--format', 'tsv'])).toMatchObject({ code: 0, stderr: '' });
    expect(idsOf(spawn([...c, 'show', ref, '--format', 'tsv']).stdout)).toEqual([id]);
    expect(csvIds(spawn([...c, 'export', ref, '--format', 'csv', '--fields', 'id']).stdout)).toEqual([id]);
    const open = spawn([...c, 'open', ref, '--print']);
    expect(open.code).toBe(0);
    const related = spawn([...c, 'related', ref]);
    expect(related).toMatchObject({ code: 0, stderr: '' });
    // A paper is never related to itself: the one named is the one left out.
    expect(idsOf(related.stdout)).not.toContain(id);
    expect(idsOf(related.stdout).length).toBeGreaterThan(0);
  });

  it('names papers in the later files of a corpus folder, read from the YAML and then from the cache', () => {
    const folder = join(tempDir(), 'corpus');
    mkdirSync(folder);
    const [head, ...papers] = CORPUS.split('\n  - id: ');
    writeFileSync(join(folder, 'a.yaml'), `${head}\n  - id: ${papers.slice(0, 2).join('\n  - id: ')}`);
    writeFileSync(join(folder, 'b.yaml'), `${head}\n  - id: ${papers.slice(2).join('\n  - id: ')}`);
    const refs = ['https://openreview.net/forum?id=rJXMpikCZ', '10.1145/3292500.3330701', 'hep-th/9901001', 'graph-conv', '1706.03762'];
    const wanted = ['graph-attention-networks', 'graph-attention-networks', 'string-theory-old', 'graph-convolutional-networks', 'attention-all-you-need'];
    for (let run = 0; run < 2; run++) expect(idsOf(spawn(['--corpus', folder, 'show', ...refs, '--format', 'tsv']).stdout)).toEqual(wanted);
  });

  it('open --print of an arXiv URL prints the paper of the corpus, not the URL typed', () => {
    expect(spawn([...corpus(), 'open', 'https://arxiv.org/abs/1706.03762v5', '--pdf', '--print'])).toEqual({
      code: 0,
      stdout: 'https://arxiv.org/pdf/1706.03762\n',
      stderr: '',
    });
  });

  it('refresh names the paper of a URL or DOI the same way (and refuses one without an arXiv id)', () => {
    expect(spawn([...corpus(), 'refresh', 'https://openreview.net/forum?id=rJXMpikCZ'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: graph-attention-networks has no arXiv id to refresh from\n',
    });
  });

  it.each([
    ['2410.99999', 1, 'papers: no paper with arXiv id 2410.99999 in the corpus (papers add 2410.99999 adds it)\n'],
    ['https://arxiv.org/abs/2410.99999v2', 1, 'papers: no paper with arXiv id 2410.99999 in the corpus (papers add 2410.99999 adds it)\n'],
    ['10.1000/nothing', 1, 'papers: no paper with DOI 10.1000/nothing in the corpus\n'],
    ['https://example.org/paper', 1, 'papers: no paper with URL https://example.org/paper in the corpus\n'],
    ['https://arxiv.org/abs/%zz', 1, 'papers: no paper with URL https://arxiv.org/abs/%zz in the corpus\n'],
    ['https://doi.org/10.1000/a%zz', 1, 'papers: no paper with DOI 10.1000/a%zz in the corpus\n'],
    ['  ', 2, 'papers: an empty reference names no paper\n'],
    ['atention-all-you-need', 1, 'papers: no paper with id `atention-all-you-need`; did you mean attention-all-you-need?\n'],
    ['graph', 2, 'papers: `graph` is the start of 2 ids (graph-attention-networks, graph-convolutional-networks); type more of it\n'],
  ])('%s: one line, exit %i, in every command', (ref, code, stderr) => {
    const c = corpus();
    for (const args of [
      ['show', ref],
      ['open', ref, '--print'],
      ['related', ref],
      ['export', ref],
    ]) {
      expect(spawn([...c, ...args])).toEqual({ code, stdout: '', stderr });
    }
  });
});

describe('show and export of chosen papers', () => {
  it('show takes several references and prints each paper in turn, a blank line between', () => {
    const c = corpus();
    const one = (ref: string) => spawn([...c, 'show', ref]).stdout;
    const both = spawn([...c, 'show', 'string-theory-old', '1706.03762']);
    expect(both).toEqual({ code: 0, stdout: `${one('string-theory-old')}\n${one('attention')}`, stderr: '' });
    expect(both.stdout.split('\n').filter((line) => line.startsWith('id '))).toEqual(['id      string-theory-old', 'id      attention-all-you-need']);
  });

  it('xargs papers show with several ids works (the pipeline of the README)', () => {
    const [, file] = corpus();
    const out = execFileSync('sh', ['-c', `"${BIN}" --corpus "${file}" search graph | cut -f1 | xargs "${BIN}" --corpus "${file}" show --format tsv`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR },
    });
    expect(idsOf(out)).toEqual(['graph-attention-networks', 'graph-convolutional-networks']);
  });

  it('show - reads references from standard input, the first tab-separated field of each line', () => {
    const c = corpus();
    const search = spawn([...c, 'search', 'graph']);
    expect(search.stdout).toContain('\t');
    expect(spawn([...c, 'show', '-', '--format', 'tsv'], { stdin: search.stdout })).toMatchObject({ code: 0, stderr: '' });
    expect(idsOf(spawn([...c, 'show', '-', '--format', 'tsv'], { stdin: search.stdout }).stdout)).toEqual(idsOf(search.stdout));
    expect(idsOf(spawn([...c, 'show', '-', '--format', 'tsv'], { stdin: '# reading list\n\nhep-th/9901001\n  1706.03762  \n' }).stdout)).toEqual([
      'string-theory-old',
      'attention-all-you-need',
    ]);
    expect(spawn([...c, 'show', '-'], { stdin: '\n' })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: no paper named: give ids, arXiv ids, DOIs or URLs, or - to read them from standard input\n',
    });
  });

  it('show --format json: one reference gives the object as before, several or - an array', () => {
    const c = corpus();
    const single = JSON.parse(spawn([...c, 'show', 'attention', '--format', 'json']).stdout);
    expect(single).toMatchObject({ id: 'attention-all-you-need', arxiv: '1706.03762' });
    const several = JSON.parse(spawn([...c, 'show', 'attention', 'hep-th/9901001', '--format', 'json']).stdout);
    expect(several.map((p: { id: string }) => p.id)).toEqual(['attention-all-you-need', 'string-theory-old']);
    expect(several[0]).toEqual(single);
    expect(JSON.parse(spawn([...c, 'show', '-', '--format', 'json'], { stdin: 'attention\n' }).stdout)).toEqual([single]);
  });

  it('show stops at the first reference that names no paper, and prints nothing', () => {
    expect(spawn([...corpus(), 'show', 'attention', 'nope-nothing', 'string-theory-old'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'papers: no paper with id `nope-nothing`\n',
    });
  });

  it('export <refs...> exports exactly those papers, in the order given, each once', () => {
    const c = corpus();
    const csv = (...args: string[]) => spawn([...c, 'export', ...args, '--format', 'csv', '--fields', 'id']).stdout;
    expect(csv('attention-all-you-need')).toBe('id\r\nattention-all-you-need\r\n');
    expect(csv('graph-conv', 'hep-th/9901001', '1706.03762', 'attention')).toBe(
      'id\r\ngraph-convolutional-networks\r\nstring-theory-old\r\nattention-all-you-need\r\n',
    );
    expect(spawn([...c, 'export', '-', '--format', 'csv', '--fields', 'id'], { stdin: 'string-theory-old\tDualities\n10.1145/3292500.3330701\n' }).stdout).toBe(
      'id\r\nstring-theory-old\r\ngraph-attention-networks\r\n',
    );
    expect(JSON.parse(spawn([...c, 'export', 'attention']).stdout).map((p: { id: string }) => p.id)).toEqual(['attention-all-you-need']);
  });

  it('export <refs...> with --query and filters keeps the named papers that pass them, in the order named', () => {
    const c = corpus();
    const ids = (...args: string[]) => csvIds(spawn([...c, 'export', ...args, '--format', 'csv', '--fields', 'id']).stdout);
    const named = ['graph-conv', 'string-theory-old', 'graph-attention'];
    expect(ids(...named, '--query', 'graph')).toEqual(['graph-convolutional-networks', 'graph-attention-networks']);
    expect(ids(...named, '--since', '2000-01-01')).toEqual(['graph-attention-networks']);
    expect(ids(...named, '--author', 'surname3')).toEqual(['graph-attention-networks']);
  });
});

describe('open reports an opener that fails', () => {
  const browser = (body: string) => {
    const dir = tempDir();
    const path = join(dir, 'browser');
    writeFileSync(path, `#!/bin/sh\n${body.replaceAll('$DIR', dir)}\n`);
    chmodSync(path, 0o755);
    return { path, dir };
  };

  it('a browser that exits non-zero: exit 1, one line naming it and its exit status, and --print suggested', () => {
    const { path } = browser('exit 3');
    expect(spawn([...corpus(), 'open', 'attention'], { env: { BROWSER: path } })).toEqual({
      code: 1,
      stdout: '',
      stderr: `papers: \`${path}\` could not open https://arxiv.org/abs/1706.03762 (exit status 3); use --print to get the URL\n`,
    });
    expect(spawn([...corpus(), 'open', 'attention'], { env: { BROWSER: '/usr/bin/false' } })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'papers: `/usr/bin/false` could not open https://arxiv.org/abs/1706.03762 (exit status 1); use --print to get the URL\n',
    });
  });

  it('a browser that opens the page: exit 0, and it was given the URL as its argument', () => {
    const { path, dir } = browser(`printf '%s\\n' "$@" > "$DIR/argv"`);
    expect(spawn([...corpus(), 'open', 'https://doi.org/10.1145/3292500.3330701'], { env: { BROWSER: path } })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'argv'), 'utf8')).toBe('https://openreview.net/forum?id=rJXMpikCZ\n');
  });
});

describe('show layout', () => {
  it('a label never runs into its value (upvotes 64, not upvotes64)', () => {
    const lines = spawn([...corpus(), 'show', 'graph-attention']).stdout.split('\n');
    expect(lines).toContain('upvotes 64');
    for (const line of lines.slice(1, lines.indexOf(''))) expect(line).toMatch(/^[a-z]+ +\S/);
  });

  it.skipIf(PTY_UNAVAILABLE)(
    'long authors and journal wrap under their value, not to column 0, at 40, 60 and 100 columns',
    { timeout: PTY_TIMEOUT },
    async () => {
      const c = corpus();
      for (const columns of [40, 60, 100]) {
        const { stdout, code } = await runInPty([...c, '--color', 'never', 'show', 'graph-attention'], { columns, env: { PAPERS_CACHE_DIR: CACHE_DIR } });
        expect(code).toBe(0);
        const lines = stdout.split('\n');
        const header = lines.slice(1, lines.indexOf(''));
        const byAt = header.findIndex((line) => line.startsWith('by '));
        const idAt = header.findIndex((line) => line.startsWith('id '));
        expect(idAt - byAt).toBeGreaterThan(1);
        for (const line of header) {
          // A URL cannot be broken; every other line fits the terminal.
          if (!/https?:\/\//.test(line)) expect(line.length).toBeLessThan(columns);
          expect(line).toMatch(/^([a-z]+ +|        )\S/);
        }
        const value = (label: string) =>
          header
            .slice(header.findIndex((line) => line.startsWith(`${label} `)))
            .filter((line, i) => i === 0 || line.startsWith('        '))
            .map((line, i) => (i === 0 ? line.slice(8) : line.trim()))
            .join(' ');
        // Wrapped at spaces, the words come back whole and in order.
        expect(value('by').startsWith(AUTHORS.join(', '))).toBe(true);
        expect(value('in').startsWith(JOURNAL)).toBe(true);
      }
    },
  );
});

describe('show --format tsv', () => {
  it('is every field of the paper in the corpus order, as the README lists them', () => {
    const row = spawn([...corpus(), 'show', 'graph-attention', '--format', 'tsv']).stdout;
    const fields = row.replace(/\n$/, '').split('\t');
    expect(fields).toHaveLength(PAPER_FIELDS.length);
    expect(fields.slice(0, 3)).toEqual(['graph-attention-networks', 'Graph Attention Networks', AUTHORS.join('; ')]);
    expect(fields[PAPER_FIELDS.indexOf('upvotes')]).toBe('64');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const documented = /`--format tsv` prints one line a paper with every field, tab-separated, in this order: ([^.]+)\./.exec(readme)?.[1];
    expect(documented?.split(', ').map((f) => f.replace(/`/g, '').split(' ')[0])).toEqual([...PAPER_FIELDS]);
  });
});

describe('help fits the terminal', () => {
  const words = (text: string) => text.split(/\s+/).filter(Boolean);

  it.skipIf(PTY_UNAVAILABLE).each([['--help'], ['search', '--help'], ['export', '--help'], ['help', 'search'], ['show', '--help']])(
    'papers %s at 40, 80 and 120 columns: no line is wider and no word is broken',
    { timeout: PTY_TIMEOUT },
    async (...args: string[]) => {
      const [wide, ...narrow] = await Promise.all([400, 40, 80, 120].map((columns) => runInPty(args, { columns })));
      narrow.forEach(({ stdout, code }, i) => {
        const columns = [40, 80, 120][i]!;
        expect(code).toBe(0);
        for (const line of stdout.split('\n')) expect(line.length, `${args.join(' ')} at ${columns}: ${line}`).toBeLessThanOrEqual(columns);
        expect(words(stdout)).toEqual(words(wide!.stdout));
      });
    },
  );

  it('help asked for exits 0 on stdout; bare papers prints help on stderr and exits 2', () => {
    const help = spawn(['help', 'search']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toBe(spawn(['search', '--help']).stdout);
    expect(spawn(['help'])).toMatchObject({ code: 0, stderr: '', stdout: spawn(['--help']).stdout });
    expect(spawn([])).toMatchObject({ code: 2, stdout: '', stderr: spawn(['--help']).stdout });
  });

  it('help about a command there is none of is one line and exit 2, as running it is', () => {
    expect(spawn(['help', 'nosuch'])).toEqual({ code: 2, stdout: '', stderr: "papers: unknown command 'nosuch' (see papers --help)\n" });
    expect(spawn(['nosuch']).stderr).toBe("papers: unknown command 'nosuch' (see papers --help)\n");
  });
});
