import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, run, tempDir } from './helpers.js';

const corpus = ['--corpus', join(FIXTURES, 'corpus.yaml')];

describe('on a terminal', () => {
  it('list prints a table fitted to the width', async () => {
    const result = await run([...corpus, 'list'], { tty: true, columns: 80, env: { NO_COLOR: '1' } });
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'ID                        TITLE                         DATE    CODE',
        'graph-networks-molecules  Graph Networks for Molecules  Apr 2   example/mol-gnn',
        'quoting-test              Commas, "quotes" and =formu…  Apr 3',
        'hypernetworks-continual   Hypernetworks for Continual…  Mar 30',
        '',
      ].join('\n'),
    });
  });

  it('search shows rank, id, title, score and an abstract snippet, highlighted in colour', async () => {
    const result = await run([...corpus, 'search', 'graph'], { tty: true, columns: 80, env: { FORCE_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\u001b[1m\u001b[33mGraph\u001b[39m\u001b[22m Networks for Molecules');
    const plain = result.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toBe(
      [
        '#  ID                        TITLE                                        SCORE',
        '1  graph-networks-molecules  Graph Networks for Molecules                 0.782',
        '                             We study graph neural networks (GNN) on mo…',
        '',
      ].join('\n'),
    );
  });

  it('search without colour when NO_COLOR is set', async () => {
    const result = await run([...corpus, 'search', 'graph'], { tty: true, columns: 100, env: { NO_COLOR: '1' } });
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '#  ID                        TITLE                                                            SCORE',
        '1  graph-networks-molecules  Graph Networks for Molecules                                     0.782',
        '                             We study graph neural networks (GNN) on molecules.',
        '',
      ].join('\n'),
    });
  });

  it('show wraps the abstract to the terminal and highlights a query', async () => {
    const result = await run([...corpus, 'show', 'hypernetworks-continual', '--highlight', 'weights'], {
      tty: true,
      columns: 40,
      env: { FORCE_COLOR: '1' },
    });
    const plain = result.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toBe(
      [
        'Hypernetworks for Continual Learning',
        'id      hypernetworks-continual',
        'date    Mar 30',
        'source  small-digest.txt',
        '',
        'A hypernetwork generates the weights of',
        'a target network for each task.',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toContain('\u001b[1m\u001b[33mweights\u001b[39m\u001b[22m');
  });
});

describe('import', () => {
  it('creates a corpus, then adds only new papers, and a repeat changes nothing', async () => {
    const dir = tempDir();
    const path = join(dir, 'papers.yaml');
    const digest = join(FIXTURES, 'small-digest.txt');
    const first = await run(['--corpus', path, 'import', digest]);
    expect(first).toEqual({ code: 0, stdout: '', stderr: `${path}: 3 added, 0 enriched, 0 already present, 5 lines of page text skipped\n` });
    const saved = readFileSync(path, 'utf8');
    const again = await run(['--corpus', path, 'import', digest]);
    expect(again.stderr).toBe(`${path}: 0 added, 0 enriched, 3 already present, 5 lines of page text skipped\n`);
    expect(readFileSync(path, 'utf8')).toBe(saved);
  });

  it('reads a digest from stdin and names its source', async () => {
    const dir = tempDir();
    const path = join(dir, 'papers.yaml');
    const stdin = readFileSync(join(FIXTURES, 'small-digest.txt'), 'utf8');
    const result = await run(['--corpus', path, 'import', '-', '--source', 'apr-2.txt'], { stdin });
    expect(result.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('source: apr-2.txt');
  });

  it('--dry-run lists what would be added and writes nothing', async () => {
    const dir = tempDir();
    const path = join(dir, 'papers.yaml');
    const copy = readFileSync(join(FIXTURES, 'corpus.yaml'), 'utf8');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, copy);
    const result = await run(['--corpus', path, 'import', join(FIXTURES, 'small-digest.txt'), '--dry-run']);
    expect(result).toEqual({
      code: 0,
      stdout: 'added\tlayer-normalization-revisited\tLayer Normalization, Revisited\n',
      stderr: `dry run, ${path} unchanged: would import 1 added, 0 enriched, 2 already present, 5 lines of page text skipped\n`,
    });
    expect(readFileSync(path, 'utf8')).toBe(copy);
  });
});

describe('progress', () => {
  const bigDigest = () => {
    const dir = tempDir();
    const lines = ['Mar 11', ''];
    for (let i = 0; i < 6000; i++) lines.push(`Paper number ${i} about things`, '', `${'An abstract sentence about a method. '.repeat(40)}`, '');
    const file = join(dir, 'big.txt');
    writeFileSync(file, lines.join('\n'));
    return { file, corpus: join(dir, 'papers.yaml') };
  };

  it('shows a status line on a terminal stderr for large work, and clears it', async () => {
    const { file, corpus } = bigDigest();
    const result = await run(['--corpus', corpus, 'import', file], { stderrTty: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`\r\u001b[2Kreading ${file}…`);
    expect(result.stderr).toContain(`writing 6000 papers to ${corpus}…`);
    expect(result.stderr.endsWith(`\r\u001b[2K${corpus}: 6000 added, 0 enriched, 0 already present, 1 line of page text skipped\n`)).toBe(true);
  });

  it('prints nothing of the kind when stderr is not a terminal', async () => {
    const { file, corpus } = bigDigest();
    const result = await run(['--corpus', corpus, 'import', file]);
    expect(result.stderr).toBe(`${corpus}: 6000 added, 0 enriched, 0 already present, 1 line of page text skipped\n`);
  });
});
