import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/store.js';
import { FIXTURES, spawn, tempDir, unprivileged } from './helpers.js';

const fixture = readFileSync(join(FIXTURES, 'corpus.yaml'), 'utf8');

/** Who can be denied a read (see unprivileged): as root, nobody; any other user is refused already. */
const uid = process.getuid?.();
const reader = {
  ...unprivileged,
  name: uid === 0 && unprivileged.user ? 'nobody, as root reads everything' : uid === undefined || uid === 0 ? 'nobody' : `uid ${uid}`,
};

const header = 'new\n\nSubscribe\n\nMar 11\n\n';

/** A corpus to import into, and a check that a failed command left it (and its folder) untouched. */
function workspace() {
  const dir = tempDir();
  const corpus = join(dir, 'papers.yaml');
  writeFileSync(corpus, fixture);
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const unchanged = () => {
    expect(readFileSync(corpus, 'utf8')).toBe(fixture);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  };
  return { dir, corpus, file, unchanged };
}

describe('bad digests: one line, exit 2, corpus unchanged', () => {
  it.each([
    ['an empty digest', '', (f: string) => `${f}: the digest is empty; save the papers page as text and import that file`],
    [
      'a binary file',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      (f: string) => `${f}: not a text digest (it contains NUL bytes); save the papers page as plain text`,
    ],
    [
      'bytes that are not UTF-8',
      Buffer.from([0x4d, 0x61, 0x72, 0x20, 0x31, 0x31, 0x0a, 0xff, 0xfe, 0x41]),
      (f: string) => `${f}: not UTF-8 text; save the papers page as UTF-8 text`,
    ],
    [
      'only page furniture',
      'new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 11\n',
      (f: string) => `${f}: no papers found: expected title and abstract pairs after the date line`,
    ],
    [
      'a title with no abstract at the end',
      `${header}A Title\n\nIts abstract.\n\nA Last Title\n`,
      (f: string) => `${f}:11: title "A Last Title" has no abstract after it; add the abstract or remove the line`,
    ],
    [
      'a 1 MB line where a title should be',
      `${header}${'x'.repeat(1 << 20)}\n`,
      (f: string) => `${f}:7: expected a paper title but found a 1048576-character paragraph; is the title above this abstract missing?`,
    ],
  ])('%s', (_name, content, message) => {
    const { corpus, file, unchanged } = workspace();
    const digest = file('digest.txt', content);
    expect(spawn(['--corpus', corpus, 'import', digest])).toEqual({ code: 2, stdout: '', stderr: `papers: ${message(digest)}\n` });
    unchanged();
  });

  it('a missing file, a directory, and a digest given as a directory', () => {
    const { dir, corpus, unchanged } = workspace();
    expect(spawn(['--corpus', corpus, 'import', join(dir, 'nope.txt')])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${join(dir, 'nope.txt')}: no such file\n`,
    });
    mkdirSync(join(dir, 'folder'));
    expect(spawn(['--corpus', corpus, 'import', join(dir, 'folder')])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${join(dir, 'folder')}: is a directory, not a file\n`,
    });
    unchanged();
  });

  it.skipIf(!reader.user)(`an unreadable file (read as ${reader.name})${reader.user ? '' : `: SKIPPED, ${reader.why}`}`, () => {
    const { dir, corpus, file, unchanged } = workspace();
    chmodSync(dir, 0o755); // mkdtemp makes it 0700: the folder must not be what stops the read
    const digest = file('secret.txt', `${header}T\n\nA.\n`);
    const as = { ...reader.user, env: { PAPERS_NO_CACHE: '1' } };
    // Control: the same user reads the same file while it is readable.
    expect(spawn(['--corpus', corpus, 'import', digest, '--dry-run'], as)).toEqual({
      code: 0,
      stdout: 'added\tt\tT\n',
      stderr: `dry run, ${corpus} unchanged: would import 1 added, 0 enriched, 0 already present, 3 lines of page text skipped\n`,
    });
    chmodSync(digest, 0o000);
    expect(spawn(['--corpus', corpus, 'import', digest], as)).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${digest}: permission denied reading the file\n`,
    });
    unchanged();
  });
});

describe('awkward but valid digests import correctly', () => {
  const importOne = (content: string) => {
    const { corpus, file } = workspace();
    const digest = file('digest.txt', content);
    const result = spawn(['--corpus', corpus, 'import', digest]);
    return { result, papers: loadCorpus(corpus).slice(3) };
  };

  it('CRLF line endings and no trailing newline', () => {
    const { result, papers } = importOne(`${header}First Title\n\nFirst abstract.\n\nSecond Title\n\nSecond abstract.`.replace(/\n/g, '\r\n'));
    expect(result.code).toBe(0);
    expect(papers.map((p) => [p.title, p.abstract])).toEqual([
      ['First Title', 'First abstract.'],
      ['Second Title', 'Second abstract.'],
    ]);
  });

  it('a 1 MB abstract', () => {
    const abstract = 'word '.repeat(1 << 18).trim();
    const { result, papers } = importOne(`${header}Long One\n\n${abstract}\n`);
    expect(result.code).toBe(0);
    expect(papers[0]!.abstract).toBe(abstract);
  });

  it('accents, CJK, emoji and right-to-left text, kept as written', () => {
    const titles = ['Réseaux de neurones à mémoire', '图神经网络的预训练', 'Emoji 🚀 Transformers', 'شبكات عصبية'];
    const { result, papers } = importOne(header + titles.map((t) => `${t}\n\nAbstract of ${t}.\n`).join('\n'));
    expect(result.code).toBe(0);
    expect(papers.map((p) => p.title)).toEqual(titles);
    expect(papers.map((p) => p.id)).toEqual(['reseaux-de-neurones-memoire', 'paper', 'emoji-transformers', 'paper-2']);
  });

  it('HTML entities are decoded', () => {
    const { papers } = importOne(`${header}Q&amp;A &lt;Models&gt;\n\nIt&#39;s &quot;good&quot; &#x2014; really.\n`);
    expect(papers[0]!.title).toBe('Q&A <Models>');
    expect(papers[0]!.abstract).toBe('It\'s "good" \u2014 really.');
  });

  it('the same paper twice in one digest is imported once', () => {
    const { result, papers } = importOne(`${header}Same Title\n\nFirst copy.\n\nSAME title\n\nSecond copy.\n`);
    expect(result.stderr).toMatch(/: 1 added, 0 enriched, 0 already present, 1 repeat in the input ignored, 3 lines of page text skipped\n$/);
    expect(papers.map((p) => p.abstract)).toEqual(['First copy.']);
  });
});

describe('bad corpus files: file, line, what to do; exit 2', () => {
  const valid = fixture;
  it.each([
    [
      'a syntax error',
      'papers:\n  - id: a\n    title: [unclosed\n',
      ':4: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the file there',
    ],
    ['tabs', 'papers:\n\t- id: a\n', ':2: invalid YAML: Tabs are not allowed as indentation; fix the file there'],
    [
      'a duplicate key',
      valid.replace('    date: Apr 2\n', '    date: Apr 2\n    date: Apr 3\n'),
      ':5: invalid YAML: Map keys must be unique; fix the file there',
    ],
    ['a wrong type', valid.replace('title: Graph Networks for Molecules', 'title: [a, b]'), ':3: paper 1: `title` must be text, not a list'],
    [
      'a missing required field',
      valid.replace('    abstract: We study graph neural networks (GNN) on molecules.\n', ''),
      ':2: paper 1: missing required field `abstract`; add it',
    ],
    [
      'an alias bomb',
      `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\npapers: [*d]\n`,
      ': YAML aliases (*name) are not allowed in a corpus; write the values out',
    ],
  ])('%s', (_name, text, message) => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    writeFileSync(corpus, text);
    for (const command of [['list'], ['search', 'graph'], ['import', join(FIXTURES, 'small-digest.txt')]]) {
      expect(spawn(['--corpus', corpus, ...command])).toEqual({ code: 2, stdout: '', stderr: `papers: ${corpus}${message}\n` });
    }
    expect(readFileSync(corpus, 'utf8')).toBe(text);
  });
});

describe('bad options and outputs', () => {
  it.each([
    [['export', '-o', '/nonexistent/folder/out.json'], 'papers: /nonexistent/folder/out.json: cannot write: the folder does not exist'],
    [['export', '-o', '/tmp'], 'papers: /tmp: cannot write: it is a directory'],
    [['export', '--format', 'xlsx'], 'papers: unknown --format `xlsx`: use json, ndjson, csv, yaml, bibtex, csl-json, ris, markdown'],
    [['search', 'graph', '--format', 'html'], 'papers: unknown --format `html`: use table, tsv, json'],
    [['search', 'graph', '--limit', '-1'], 'papers: --limit takes a whole number of 1 or more, not `-1`'],
    [['search', 'graph', '--limit', 'many'], 'papers: --limit takes a whole number of 1 or more, not `many`'],
    [['list', '--limit', '0'], 'papers: --limit takes a whole number of 1 or more, not `0`'],
  ])('%j', (args, message) => {
    const dir = tempDir();
    expect(spawn(args, { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
    expect(readdirSync(dir)).toEqual([]);
  });
});
