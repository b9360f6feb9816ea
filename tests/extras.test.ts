import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import bibtex from 'bibtex-parse';
import { serializeCorpus } from '../src/corpus/store.js';
import { CACHE_DIR, FIXTURES, ROOT, run, spawn, tempDir } from './helpers.js';

const fixture = ['--corpus', join(FIXTURES, 'corpus.yaml')];
const firstIds = (args: string[], n: number) =>
  spawn(args)
    .stdout.trimEnd()
    .split('\n')
    .slice(0, n)
    .map((l) => l.split('\t')[0]);

describe('papers related', () => {
  it.each([
    ['magnitude-invariant', ['continual-learning-dependency', 'brief-review-hypernetworks-deep']],
    ['continual-learning-dependency', ['magnitude-invariant', 'brief-review-hypernetworks-deep']],
    ['brief-review-hypernetworks-deep', ['magnitude-invariant', 'continual-learning-dependency']],
    ['peri-ln-revisiting-layer', ['mix-ln-unleashing-power-deeper']],
    ['mix-ln-unleashing-power-deeper', ['peri-ln-revisiting-layer']],
    ['re-assessing-imagenet-how', ['re-labeling-imagenet-single']],
    ['re-labeling-imagenet-single', ['re-assessing-imagenet-how']],
  ])('%s has its partners in the top 3', (id, partners) => {
    expect(firstIds(['related', id], 3)).toEqual(expect.arrayContaining(partners));
  });

  it('prints id, title and a similarity in a pipe, and JSON on request', () => {
    const tsv = spawn(['related', 'peri-ln-revisiting-layer', '-n', '2']);
    expect(tsv.code).toBe(0);
    expect(tsv.stdout).toMatch(
      /^mix-ln-unleashing-power-deeper\tMix-LN: Unleashing the Power of Deeper Layers by Combining Pre-LN and Post-LN\t0\.\d{3}\n[a-z0-9-]+\t[^\t]+\t0\.\d{3}\n$/,
    );
    const [first] = JSON.parse(spawn(['related', 'peri-ln', '--format', 'json', '-n', '1']).stdout);
    expect(first).toMatchObject({ rank: 1, id: 'mix-ln-unleashing-power-deeper' });
    expect(first.score).toBeGreaterThan(0);
    expect(first.score).toBeLessThanOrEqual(1);
  });

  it('an unknown id exits 1 with suggestions, like show', () => {
    expect(spawn(['related', 'hopfeld-networks'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'papers: no paper with id `hopfeld-networks`; did you mean hopfield-networks-all-you-need?\n',
    });
  });
});

describe('export --format bibtex and markdown', () => {
  it('BibTeX of the shipped corpus parses with a real BibTeX parser: one @misc per paper, keyed by id', () => {
    const result = spawn(['export', '--format', 'bibtex']);
    expect(result.code).toBe(0);
    const entries = bibtex.entries(result.stdout) as { key: string; type: string; TITLE: string; URL?: string }[];
    const ids = spawn(['list'])
      .stdout.trimEnd()
      .split('\n')
      .map((l) => l.split('\t')[0]);
    expect(entries.map((e) => e.key)).toEqual(ids);
    expect(entries.every((e) => e.type === 'misc')).toBe(true);
    expect(entries.find((e) => e.key === 'hopfield-networks-all-you-need')).toMatchObject({ URL: 'https://github.com/ml-jku/hopfield-layers' });
  });

  it('BibTeX escapes braces, %, &, _, #, $, ~, ^ and backslashes', () => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    const title = 'Odd {Title} 50% of R&D_x #1 $5 ~a ^b \\c }{';
    writeFileSync(
      corpus,
      serializeCorpus([
        {
          id: 'odd',
          title,
          abstract: 'An abstract with } and { and 100%.',
          date: 'Mar 1',
          source: 's',
          links: ['https://github.com/a/b_c%20d#x'],
          code: 'https://github.com/a/b_c%20d',
        },
      ]),
    );
    const text = spawn(['--corpus', corpus, 'export', '--format', 'bibtex']).stdout;
    expect(text).toBe(
      [
        '@misc{odd,',
        '  title = {{Odd \\{Title\\} 50\\% of R\\&D\\_x \\#1 \\$5 \\textasciitilde{}a \\textasciicircum{}b \\textbackslash{}c {\\textbraceright}{\\textbraceleft}}},',
        '  url = {https://github.com/a/b_c%20d},',
        '  note = {Papers digest of Mar 1},',
        '  abstract = {An abstract with {\\textbraceright} and {\\textbraceleft} and 100\\%.}',
        '}',
        '',
      ].join('\n'),
    );
    const [entry] = bibtex.parse(text).filter((item: { itemtype: string }) => item.itemtype === 'entry');
    expect(entry?.key).toBe('odd');
  });

  it('Markdown reading list: title, id, date, first sentence, links', () => {
    expect(spawn([...fixture, 'export', '--format', 'markdown']).stdout).toBe(
      [
        '# Reading list',
        '',
        '- **Graph Networks for Molecules** (`graph-networks-molecules`), Apr 2\\',
        '  We study graph neural networks (GNN) on molecules.\\',
        '  [code](<https://github.com/example/mol-gnn>)',
        '- **Commas, "quotes" and =formulas** (`quoting-test`), Apr 3\\',
        '  First line, with a comma.',
        '- **Hypernetworks for Continual Learning** (`hypernetworks-continual`), Mar 30\\',
        '  A hypernetwork generates the weights of a target network for each task.',
        '',
      ].join('\n'),
    );
  });
});

describe('papers stats', () => {
  it('counts papers, dates in order, code links and keywords, as JSON', () => {
    const stats = JSON.parse(spawn([...fixture, 'stats', '--format', 'json']).stdout);
    expect(stats).toMatchObject({
      papers: 3,
      withCode: 1,
      dates: [
        { date: 'Mar 30', papers: 1 },
        { date: 'Apr 2', papers: 1 },
        { date: 'Apr 3', papers: 1 },
      ],
    });
    // "network" is the only word of two of these three papers (stop words aside): the only keyword.
    expect(stats.keywords).toEqual([{ phrase: 'networks', papers: 2, weight: 0.35 }]);
  });

  it('TSV rows in a pipe', () => {
    expect(spawn(['stats']).stdout.split('\n').slice(0, 6)).toEqual([
      'papers\t83',
      'with-code\t19',
      'date\tMar 11\t83',
      // In order of the count shown.
      'keyword\tgraph\t8',
      'keyword\tmulti-label\t7',
      'keyword\tcontinual learning\t6',
    ]);
  });

  it('a bar chart on a terminal', async () => {
    const result = await run([...fixture, 'stats'], { tty: true, columns: 40, env: { NO_COLOR: '1' } });
    expect(result.stdout.split('\n').slice(0, 7)).toEqual([
      '3 papers, 1 with code (33%)',
      '',
      'Papers per digest date',
      `Mar 30  ${'█'.repeat(29)} 1`,
      `Apr 2   ${'█'.repeat(29)} 1`,
      `Apr 3   ${'█'.repeat(29)} 1`,
      '',
    ]);
  });

  it('distinctive keywords and phrases in the chart, bars by papers, fitted to 40 columns', async () => {
    const result = await run(['stats'], { tty: true, columns: 40, env: { NO_COLOR: '1' } });
    const lines = result.stdout.split('\n');
    const at = lines.indexOf('Distinctive keywords (papers)');
    expect(lines.slice(at + 1, at + 5)).toEqual([
      // Labels are cut to keep a bar of 10 cells for the largest count (8, "graph"): 6 papers are 8 cells.
      `graph                      ${'█'.repeat(10)} 8`,
      `multi-label                ${'█'.repeat(9)} 7`,
      `continual learning         ${'█'.repeat(8)} 6`,
      // An acronym and its long form are one row, counting the papers that use either.
      `graph neural networks (G…  ${'█'.repeat(8)} 6`,
    ]);
    expect(lines.every((line) => line.length <= 39)).toBe(true);
  });
});

describe('papers completion', () => {
  it('bash: a valid script that completes commands, option values and paper ids', () => {
    const script = join(tempDir(), 'papers.bash');
    writeFileSync(script, spawn(['completion', 'bash']).stdout);
    execFileSync('bash', ['--norc', '-n', script]);
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '--norc',
          '-c',
          `source "${script}"; COMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}; _papers; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        {
          encoding: 'utf8',
          env: { PATH: `${join(ROOT, 'bin')}:${process.env.PATH}`, PAPERS_CACHE_DIR: CACHE_DIR },
        },
      )
        .trim()
        .split('\n');
    expect(complete('papers', 'se')).toEqual(['search']);
    expect(complete('papers', 'show', 'hop')).toEqual(['hopfield-networks-all-you-need']);
    expect(complete('papers', 'related', 're-')).toEqual(['re-assessing-imagenet-how', 're-labeling-imagenet-single']);
    expect(complete('papers', 'export', '--format', 'b')).toEqual(['bibtex']);
    expect(complete('papers', 'list', '--so')).toEqual(['--sort']);
  });

  const COMMANDS = [
    'search',
    'related',
    'list',
    'show',
    'open',
    'note',
    'pick',
    'export',
    'import',
    'pull',
    'add',
    'refresh',
    'mark',
    'tag',
    'tags',
    'stats',
    'doctor',
    'watch',
    'news',
    'cache',
    'completion',
  ];

  it('zsh: offers every command, then completes ids for show and related and the choices of cache and completion', () => {
    const zsh = spawn(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    const lines = zsh.stdout.split('\n');
    expect(lines[0]).toBe('#compdef papers');
    expect(lines.at(-2)).toBe('if [[ $funcstack[1] == _papers ]]; then _papers "$@"; else compdef _papers papers; fi');
    expect(zsh.stdout).toContain(` '1:command:(${COMMANDS.join(' ')})' '*::arg:->args'\n`);
    // One `command) _arguments ... ;;` case per command, in the order of the command list.
    const cases = lines.filter((line) => /^ {4}[a-z]+\) _arguments .* ;;$/.test(line));
    expect(cases.map((line) => line.trim().split(')')[0])).toEqual(COMMANDS);
    const caseOf = (command: string) => cases.find((line) => line.startsWith(`    ${command}) `))!;
    for (const command of ['related', 'open', 'note']) expect(caseOf(command).endsWith(` '1:paper id:_papers_ids' ;;`)).toBe(true);
    // show and refresh take any number of ids: each is completed.
    for (const command of ['show', 'refresh']) expect(caseOf(command).endsWith(` '*:paper id:_papers_ids' ;;`)).toBe(true);
    expect(cases.filter((line) => line.includes('_papers_ids')).map((line) => line.trim().split(')')[0])).toEqual([
      'related',
      'show',
      'open',
      'note',
      'refresh',
      'mark',
      'tag',
    ]);
    expect(caseOf('import').endsWith(` '1:file:_files' ;;`)).toBe(true);
    expect(caseOf('cache').endsWith(` '1:cache:(path clear)' ;;`)).toBe(true);
    expect(caseOf('watch').endsWith(` '1:watch:(add list rm)' ;;`)).toBe(true);
    expect(caseOf('completion').endsWith(` '1:completion:(bash zsh fish)' ;;`)).toBe(true);
  });

  it('fish: offers every command before one is given, then ids for show and related and the choices of cache and completion', () => {
    const fish = spawn(['completion', 'fish']);
    expect(fish.code).toBe(0);
    const lines = fish.stdout.split('\n');
    const before = `complete -c papers -n "not __fish_seen_subcommand_from ${COMMANDS.join(' ')}" -a `;
    expect(lines.filter((line) => line.startsWith(before))).toEqual(COMMANDS.map((command) => `${before}${command}`));
    const ids = (command: string) => `complete -c papers -n "__fish_seen_subcommand_from ${command}" -a "(__papers_ids)"`;
    expect(lines.filter((line) => line.includes('(__papers_ids)'))).toEqual([
      ids('related'),
      ids('show'),
      ids('open'),
      ids('note'),
      ids('refresh'),
      ids('mark'),
      ids('tag'),
    ]);
    expect(lines).toContain('complete -c papers -n "__fish_seen_subcommand_from import" -F');
    expect(lines).toContain('complete -c papers -n "__fish_seen_subcommand_from cache" -a "path clear"');
    expect(lines).toContain('complete -c papers -n "__fish_seen_subcommand_from completion" -a "bash zsh fish"');
    // Every other line is about a known command or a global option.
    for (const line of lines.filter((l) => l.startsWith('complete ') && !l.startsWith(before))) {
      expect(line).toMatch(new RegExp(`^complete -c papers (-n "__fish_seen_subcommand_from (${COMMANDS.join('|')})" )?(-f|-s |-l |-a |-F)`));
    }
  });

  it('an unknown shell is a usage error', () => {
    expect(spawn(['completion', 'tcsh'])).toEqual({ code: 2, stdout: '', stderr: 'papers: unknown shell `tcsh`: use bash, zsh, fish\n' });
  });
});
