import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { FIXTURES, run, spawn, tempDir, unprivileged, type SpawnOptions } from './helpers.js';

const ID = 'graph-networks-molecules';

/** A corpus file of three papers in a folder of its own. */
function corpusFile(): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'papers.yaml');
  copyFileSync(join(FIXTURES, 'corpus.yaml'), file);
  return { dir, file };
}

/**
 * An editor that is a real program: it writes the arguments it was given, one a line, to `argv.log` beside
 * itself, and appends a line (its first argument, when it is not an option) to the file it is given last.
 */
function fakeEditor(dir: string, name: string, exitStatus = 0, line = `edited by ${name}`): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg"; done > "${join(dir, `${name}.log`)}"\n` +
      `for last in "$@"; do :; done\n${line === '' ? '' : `printf '%s\\n' '${line}' >> "$last"\n`}exit ${exitStatus}\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

const argvOf = (dir: string, name: string) =>
  readFileSync(join(dir, `${name}.log`), 'utf8')
    .split('\n')
    .slice(0, -1);

describe('papers note --add and --print', () => {
  it('adds lines to notes/<id>.md beside the corpus file, prints them, and leaves the corpus as it was', () => {
    const { dir, file } = corpusFile();
    const before = readFileSync(file, 'utf8');
    expect(spawn(['--corpus', file, 'note', ID, '--add', 'Read section 3 again.'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(spawn(['--corpus', file, 'note', 'graph-net', '--add', 'Compare with GAT.'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(readFileSync(join(dir, 'notes', `${ID}.md`), 'utf8')).toBe('Read section 3 again.\nCompare with GAT.\n');
    expect(spawn(['--corpus', file, 'note', ID, '--print'])).toEqual({ stdout: 'Read section 3 again.\nCompare with GAT.\n', stderr: '', code: 0 });
    expect(readFileSync(file, 'utf8')).toBe(before);
    // Nothing is left beside the note: no lock, no temporary file.
    expect(readdirSync(join(dir, 'notes'))).toEqual([`${ID}.md`]);
  });

  it('adds on a line of its own to a note whose last line has no line end', () => {
    const { dir, file } = corpusFile();
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', `${ID}.md`), '# Mine\n\nno line end');
    expect(spawn(['--corpus', file, 'note', ID, '--add', 'next']).code).toBe(0);
    expect(readFileSync(join(dir, 'notes', `${ID}.md`), 'utf8')).toBe('# Mine\n\nno line end\nnext\n');
  });

  it('--print: exit 1 with one line when the paper has no note', () => {
    const { file } = corpusFile();
    expect(spawn(['--corpus', file, 'note', ID, '--print'])).toEqual({
      stdout: '',
      stderr: `papers: \`${ID}\` has no note; write one with papers note ${ID}, or papers note ${ID} --add TEXT\n`,
      code: 1,
    });
  });

  it('an unknown paper: exit 1 with the closest id, and no note written', () => {
    const { dir, file } = corpusFile();
    expect(spawn(['--corpus', file, 'note', 'graph-netwrks-molecules', '--add', 'x'])).toEqual({
      stdout: '',
      stderr: 'papers: no paper with id `graph-netwrks-molecules`; did you mean graph-networks-molecules?\n',
      code: 1,
    });
    expect(existsSync(join(dir, 'notes'))).toBe(false);
  });

  it.each([
    [['--add', ''], 'papers: --add needs the text to add to the note\n'],
    [['--add', 'x', '--print'], "papers: option '--add <text>' cannot be used with option '--print' (see papers --help)\n"],
  ])('bad input %j: exit 2 with one line, nothing written', (args, stderr) => {
    const { dir, file } = corpusFile();
    expect(spawn(['--corpus', file, 'note', ID, ...args])).toEqual({ stdout: '', stderr, code: 2 });
    expect(existsSync(join(dir, 'notes'))).toBe(false);
  });

  it('- reads the paper from standard input: the first field of one line, as search prints it', () => {
    const { dir, file } = corpusFile();
    const found = spawn(['--corpus', file, 'search', 'molecules']).stdout;
    expect(spawn(['--corpus', file, 'note', '-', '--add', 'from a pipe'], { stdin: found })).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(readFileSync(join(dir, 'notes', `${ID}.md`), 'utf8')).toBe('from a pipe\n');
    expect(spawn(['--corpus', file, 'note', '-', '--print'], { stdin: `${ID}\nquoting-test\n` })).toEqual({
      stdout: '',
      stderr: 'papers: a note is of one paper: standard input named 2; give one id, arXiv id, DOI or URL\n',
      code: 2,
    });
  });

  it('in a corpus folder the notes are in notes/ inside it, which is not read as part of the corpus', () => {
    const dir = tempDir();
    const folder = join(dir, 'library');
    mkdirSync(folder);
    copyFileSync(join(FIXTURES, 'corpus.yaml'), join(folder, 'a.yaml'));
    expect(spawn(['--corpus', folder, 'note', ID, '--add', 'in the folder']).code).toBe(0);
    expect(readFileSync(join(folder, 'notes', `${ID}.md`), 'utf8')).toBe('in the folder\n');
    const listed = spawn(['--corpus', folder, 'list']);
    expect(listed.code).toBe(0);
    expect(
      listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')[0]),
    ).toEqual([ID, 'quoting-test', 'hypernetworks-continual']);
    expect(spawn(['--corpus', folder, 'note', ID, '--print']).stdout).toBe('in the folder\n');
  });
});

describe('papers note in an editor', () => {
  it('runs $EDITOR with the note file as its last argument and waits for it', () => {
    const { dir, file } = corpusFile();
    const editor = fakeEditor(dir, 'ed1');
    expect(spawn(['--corpus', file, 'note', ID], { env: { EDITOR: editor } })).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(argvOf(dir, 'ed1')).toEqual([join(dir, 'notes', `${ID}.md`)]);
    expect(readFileSync(join(dir, 'notes', `${ID}.md`), 'utf8')).toBe('edited by ed1\n');
    // The second time the editor is given the note as it was left.
    expect(spawn(['--corpus', file, 'note', ID], { env: { EDITOR: editor } }).code).toBe(0);
    expect(spawn(['--corpus', file, 'note', ID, '--print']).stdout).toBe('edited by ed1\nedited by ed1\n');
  });

  it('$VISUAL wins over $EDITOR', () => {
    const { dir, file } = corpusFile();
    const visual = fakeEditor(dir, 'visual');
    const editor = fakeEditor(dir, 'editor');
    expect(spawn(['--corpus', file, 'note', ID], { env: { VISUAL: visual, EDITOR: editor } }).code).toBe(0);
    expect(readFileSync(join(dir, 'notes', `${ID}.md`), 'utf8')).toBe('edited by visual\n');
    expect(existsSync(join(dir, 'editor.log'))).toBe(false);
  });

  it('an editor with arguments is split into words, quotes kept together, with no shell', () => {
    const { dir, file } = corpusFile();
    const editor = fakeEditor(dir, 'myed');
    const env = { EDITOR: `${editor} --wait "two words" '$HOME;x'` };
    expect(spawn(['--corpus', file, 'note', ID], { env }).code).toBe(0);
    expect(argvOf(dir, 'myed')).toEqual(['--wait', 'two words', '$HOME;x', join(dir, 'notes', `${ID}.md`)]);
  });

  it('an editor that fails: exit 1 with one line, and the note as it left it', () => {
    const { dir, file } = corpusFile();
    const editor = fakeEditor(dir, 'broken', 3);
    expect(spawn(['--corpus', file, 'note', ID], { env: { EDITOR: editor } })).toEqual({
      stdout: '',
      stderr: `papers: the editor \`${editor}\` failed (exit status 3); the note is as it left it\n`,
      code: 1,
    });
    expect(readFileSync(join(dir, 'notes', `${ID}.md`), 'utf8')).toBe('edited by broken\n');
  });

  it('an editor that cannot be run: exit 2 with one line saying what to set', () => {
    const { dir, file } = corpusFile();
    expect(spawn(['--corpus', file, 'note', ID], { env: { VISUAL: join(dir, 'no-such-editor') } })).toEqual({
      stdout: '',
      stderr: `papers: cannot run the editor \`${join(dir, 'no-such-editor')}\` (ENOENT); check VISUAL\n`,
      code: 2,
    });
    expect(readdirSync(join(dir, 'notes'))).toEqual([]);
  });

  it('an unmatched quote in $EDITOR: exit 2 with one line', () => {
    const { file } = corpusFile();
    expect(spawn(['--corpus', file, 'note', ID], { env: { EDITOR: 'myed "--wait' } })).toEqual({
      stdout: '',
      stderr: 'papers: EDITOR has an unmatched quote: `myed "--wait`\n',
      code: 2,
    });
  });

  it('a note the editor leaves empty is removed: closing a new note unwritten, or emptying an old one', () => {
    const { dir, file } = corpusFile();
    expect(spawn(['--corpus', file, 'note', ID], { env: { EDITOR: fakeEditor(dir, 'quit', 0, '') } }).code).toBe(0);
    expect(readdirSync(join(dir, 'notes'))).toEqual([]);
    expect(spawn(['--corpus', file, 'note', ID, '--add', 'to be emptied']).code).toBe(0);
    const emptier = join(dir, 'emptier');
    writeFileSync(emptier, '#!/bin/sh\nfor last in "$@"; do :; done\nprintf "\\n  \\n" > "$last"\n');
    chmodSync(emptier, 0o755);
    expect(spawn(['--corpus', file, 'note', ID], { env: { EDITOR: emptier } })).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(readdirSync(join(dir, 'notes'))).toEqual([]);
    expect(spawn(['--corpus', file, 'note', ID, '--print']).code).toBe(1);
  });
});

describe('notes in show and export', () => {
  const withNote = () => {
    const corpus = corpusFile();
    expect(spawn(['--corpus', corpus.file, 'note', ID, '--add', 'First thought.']).code).toBe(0);
    expect(spawn(['--corpus', corpus.file, 'note', ID, '--add', 'Second thought.']).code).toBe(0);
    return corpus;
  };

  it('show prints the note under the abstract, after a rule', () => {
    const { file } = withNote();
    expect(spawn(['--corpus', file, 'show', ID])).toEqual({
      stdout: [
        'Graph Networks for Molecules',
        `id      ${ID}`,
        'date    Apr 2',
        'source  small-digest.txt',
        'code    https://github.com/example/mol-gnn',
        '',
        'We study graph neural networks (GNN) on molecules.',
        '',
        '── note ──',
        'First thought.',
        'Second thought.',
        '',
      ].join('\n'),
      stderr: '',
      code: 0,
    });
  });

  it('show --format json has a note field, null for a paper without one', () => {
    const { file } = withNote();
    const [noted, bare] = JSON.parse(spawn(['--corpus', file, 'show', ID, 'quoting-test', '--format', 'json']).stdout);
    expect(noted.note).toBe('First thought.\nSecond thought.\n');
    expect(bare.note).toBeNull();
    expect(Object.keys(noted).at(-1)).toBe('note');
  });

  it.each(['json', 'yaml'])('export --format %s carries the note (null when none), and not with --fields', (format) => {
    const { file } = withNote();
    const records = (args: string[]) => parseYaml(spawn(['--corpus', file, 'export', '-f', format, ...args]).stdout) as Record<string, unknown>[];
    expect(records([ID, 'quoting-test']).map((record) => record.note)).toEqual(['First thought.\nSecond thought.\n', null]);
    expect(records(['--fields', 'id,title', ID])).toEqual([{ id: ID, title: 'Graph Networks for Molecules' }]);
  });

  it('export --format ndjson carries the note', () => {
    const { file } = withNote();
    const lines = spawn(['--corpus', file, 'export', '-f', 'ndjson']).stdout.trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).note)).toEqual(['First thought.\nSecond thought.\n', null, null]);
  });

  it('BibTeX annote, CSL JSON note, RIS N1', () => {
    const { file } = withNote();
    const bibtex = spawn(['--corpus', file, 'export', '-f', 'bibtex', ID, 'quoting-test']).stdout;
    expect(bibtex).toContain('  abstract = {We study graph neural networks (GNN) on molecules.},\n  annote = {First thought. Second thought.}\n}\n');
    expect(bibtex.match(/annote/g)).toHaveLength(1);
    const csl = JSON.parse(spawn(['--corpus', file, 'export', '-f', 'csl-json', ID, 'quoting-test']).stdout);
    expect(csl.map((item: { note?: string }) => item.note)).toEqual(['First thought.\nSecond thought.', undefined]);
    const ris = spawn(['--corpus', file, 'export', '-f', 'ris', ID]).stdout;
    expect(ris).toContain('AB  - We study graph neural networks (GNN) on molecules.\r\nN1  - First thought. Second thought.\r\nER  - \r\n');
  });

  it('the Markdown reading list has the note under its item', () => {
    const { file } = withNote();
    expect(spawn(['--corpus', file, 'export', '-f', 'markdown', ID, 'hypernetworks-continual']).stdout).toBe(
      [
        '# Reading list',
        '',
        `- **Graph Networks for Molecules** (\`${ID}\`), Apr 2\\`,
        '  We study graph neural networks (GNN) on molecules.\\',
        '  [code](<https://github.com/example/mol-gnn>)',
        '',
        '  First thought.',
        '  Second thought.',
        '',
        '- **Hypernetworks for Continual Learning** (`hypernetworks-continual`), Mar 30\\',
        '  A hypernetwork generates the weights of a target network for each task.',
        '',
      ].join('\n'),
    );
  });

  it('an export with notes imports: the notes are passed over, the corpus gets no note field, the note file is untouched', () => {
    const { dir, file } = withNote();
    const note = join(dir, 'notes', `${ID}.md`);
    const stamp = statSync(note).mtimeMs;
    for (const format of ['json', 'ndjson', 'yaml']) {
      const out = join(dir, `out.${format}`);
      expect(spawn(['--corpus', file, 'export', '-f', format, '-o', out]).code).toBe(0);
      const fresh = join(dir, `fresh-${format}`, 'papers.yaml');
      expect(spawn(['--corpus', fresh, 'import', out])).toMatchObject({ code: 0, stderr: expect.stringContaining('3 added') });
      expect(readFileSync(fresh, 'utf8')).not.toMatch(/note/);
      expect(existsSync(join(dir, `fresh-${format}`, 'notes'))).toBe(false);
      // Read back into the corpus it came from: nothing changes, the note least of all.
      expect(spawn(['--corpus', file, 'import', out]).code).toBe(0);
    }
    expect(readFileSync(file, 'utf8')).not.toMatch(/note/);
    expect(readFileSync(note, 'utf8')).toBe('First thought.\nSecond thought.\n');
    expect(statSync(note).mtimeMs).toBe(stamp);
  });
});

describe('a note on a terminal', () => {
  it('show sets the note apart by a dim rule, wraps it to the terminal and shows its control characters as escapes; --print too', async () => {
    const { dir, file } = corpusFile();
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', `${ID}.md`), 'A long thought about message passing on molecular graphs \x1b[31mred\n');
    const shown = await run(['--corpus', file, 'show', ID], { tty: true, columns: 41 });
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n').slice(-5)).toEqual([
      '',
      '\x1b[2m── note ──\x1b[22m',
      'A long thought about message passing on',
      'molecular graphs \\x1b[31mred',
      '',
    ]);
    expect(await run(['--corpus', file, 'note', ID, '--print'], { tty: true })).toEqual({
      stdout: 'A long thought about message passing on molecular graphs \\x1b[31mred\n',
      stderr: '',
      code: 0,
    });
  });
});

describe.skipIf(!unprivileged.user)(`papers note in a read-only place${unprivileged.user ? '' : `: SKIPPED, ${unprivileged.why}`}`, () => {
  /** The fixture corpus as a file and as a folder, both in a folder the user may read but not write. */
  function readOnly(): { dir: string; file: string; folder: string; editor: string; as: SpawnOptions } {
    const dir = tempDir();
    const file = join(dir, 'papers.yaml');
    copyFileSync(join(FIXTURES, 'corpus.yaml'), file);
    const folder = join(dir, 'library');
    mkdirSync(folder);
    copyFileSync(join(FIXTURES, 'corpus.yaml'), join(folder, 'a.yaml'));
    // The editor and what it records, where the user may write.
    const tools = join(tempDir(), 'tools');
    mkdirSync(tools);
    chmodSync(join(tools, '..'), 0o755);
    chmodSync(tools, 0o777);
    const editor = fakeEditor(tools, 'ed');
    for (const path of [file, join(folder, 'a.yaml')]) chmodSync(path, 0o644);
    for (const path of [dir, folder]) chmodSync(path, 0o555);
    return { dir, file, folder, editor, as: { ...unprivileged.user, env: { PAPERS_NO_CACHE: '1', EDITOR: editor } } };
  }

  it.each(['file', 'folder'] as const)('a corpus %s where no notes folder can be made: exit 2 with one line, before any editor runs', (kind) => {
    const { dir, file, folder, editor, as } = readOnly();
    const corpus = kind === 'file' ? file : folder;
    const notes = join(kind === 'file' ? dir : folder, 'notes');
    const refused = { stdout: '', stderr: `papers: ${notes}: cannot make the notes folder: permission denied\n`, code: 2 };
    expect(spawn(['--corpus', corpus, 'note', ID, '--add', 'x'], as)).toEqual(refused);
    expect(spawn(['--corpus', corpus, 'note', ID], as)).toEqual(refused);
    expect(existsSync(`${editor}.log`)).toBe(false);
    expect(existsSync(notes)).toBe(false);
    // Reading is still fine.
    expect(spawn(['--corpus', corpus, 'note', ID, '--print'], as).code).toBe(1);
  });

  it('a read-only notes folder: --add is refused, the editor may still change a note it can write in place, a new note is refused', () => {
    const { dir, file, editor, as } = readOnly();
    chmodSync(dir, 0o755);
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    const note = join(notes, `${ID}.md`);
    writeFileSync(note, 'mine\n');
    chmodSync(note, 0o666);
    chmodSync(notes, 0o555);
    expect(spawn(['--corpus', file, 'note', ID, '--add', 'x'], as)).toEqual({
      stdout: '',
      stderr: `papers: ${notes}: cannot write in the notes folder: permission denied\n`,
      code: 2,
    });
    expect(readFileSync(note, 'utf8')).toBe('mine\n');
    expect(spawn(['--corpus', file, 'note', ID], as)).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(readFileSync(note, 'utf8')).toBe('mine\nedited by ed\n');
    expect(spawn(['--corpus', file, 'note', 'hypernetworks-continual'], { ...as, env: { ...as.env, EDITOR: `${editor}-not-run` } })).toEqual({
      stdout: '',
      stderr: `papers: ${notes}: cannot write in the notes folder: permission denied\n`,
      code: 2,
    });
    // A note made read-only is left alone, by --add as by the editor.
    chmodSync(notes, 0o777);
    chmodSync(note, 0o444);
    const kept = { stdout: '', stderr: `papers: ${note}: cannot write the note: permission denied\n`, code: 2 };
    expect(spawn(['--corpus', file, 'note', ID, '--add', 'x'], as)).toEqual(kept);
    expect(spawn(['--corpus', file, 'note', ID], as)).toEqual(kept);
    expect(readFileSync(note, 'utf8')).toBe('mine\nedited by ed\n');
  });
});

describe('papers note where notes/ or the note is not what it should be', () => {
  it('a file named notes: writing is refused with one line, and the paper has no note', () => {
    const { dir, file } = corpusFile();
    writeFileSync(join(dir, 'notes'), 'not a folder\n');
    const refused = {
      stdout: '',
      stderr: `papers: ${join(dir, 'notes')}: is a file, not a folder: notes are kept in a folder notes/ beside the corpus; move the file away\n`,
      code: 2,
    };
    expect(spawn(['--corpus', file, 'note', ID, '--add', 'x'])).toEqual(refused);
    expect(spawn(['--corpus', file, 'note', ID], { env: { EDITOR: 'true' } })).toEqual(refused);
    expect(spawn(['--corpus', file, 'note', ID, '--print']).code).toBe(1);
    const shown = spawn(['--corpus', file, 'show', ID]);
    expect([shown.code, shown.stderr, shown.stdout.includes('── note ──')]).toEqual([0, '', false]);
    expect(readFileSync(join(dir, 'notes'), 'utf8')).toBe('not a folder\n');
  });

  it('a folder where the note should be: refused with one line, before any editor runs', () => {
    const { dir, file } = corpusFile();
    mkdirSync(join(dir, 'notes', `${ID}.md`), { recursive: true });
    const editor = fakeEditor(dir, 'ed');
    const refused = {
      stdout: '',
      stderr: `papers: ${join(dir, 'notes', `${ID}.md`)}: is not a regular file (a note is a Markdown file); move it away\n`,
      code: 2,
    };
    expect(spawn(['--corpus', file, 'note', ID, '--add', 'x'])).toEqual(refused);
    expect(spawn(['--corpus', file, 'note', ID], { env: { EDITOR: editor } })).toEqual(refused);
    expect(existsSync(join(dir, 'ed.log'))).toBe(false);
  });
});
