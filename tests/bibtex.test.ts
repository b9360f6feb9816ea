import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../src/corpus/paper.js';
import { renderBibtex } from '../src/render/bibtex.js';
import { renderMarkdown } from '../src/render/markdown.js';

const paper = (fields: Partial<Paper> & Pick<Paper, 'id' | 'title' | 'abstract'>): Paper => ({ date: null, source: 's', links: [], code: null, ...fields });

// The real bibtex: a lenient JS parser takes fields that bibtex cuts short. Its command is a parameter because knip looks
// for a literal command name among the npm packages, and TeX comes from the system.
const tex = (command: 'bibtex' | 'kpsewhich', args: string[], options: SpawnSyncOptions = {}) =>
  spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, ...options });
const hasBibtex = tex('bibtex', ['--version']).status === 0;
const hasPlain = hasBibtex && String(tex('kpsewhich', ['plain.bst']).stdout).trim() !== '';
const NO_BIBTEX = hasBibtex ? '' : ' [SKIPPED: no `bibtex` on PATH; apt-get install --no-install-recommends texlive-binaries texlive-base]';
const NO_PLAIN = hasPlain ? '' : ' [SKIPPED: no `bibtex` or plain.bst; apt-get install --no-install-recommends texlive-binaries texlive-base]';

// A style that writes every field exactly as BibTeX read it, so the .bbl shows where each field really ended.
const DUMP_BST = `ENTRY { title url note abstract } {} {}
FUNCTION {show} { duplicate$ missing$ { pop$ "" } 'skip$ if$ " \\endfield " * write$ }
FUNCTION {misc} { "\\entry " cite$ * " \\endfield " * write$ title show url show note show abstract show newline$ }
FUNCTION {default.type} { misc }
READ
ITERATE {call.type$}
`;

// The same for every field the export writes, with the entry type, and each name as BibTeX splits it:
// first/von/last/jr, between \name marks.
const MONTH_MACROS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => `MACRO {${m}} {"${i + 1}"}`).join('\n');
const FIELDS_BST = `ENTRY { author title journal year month eprint archiveprefix primaryclass doi url note abstract } {} {}
INTEGERS { n i }
${MONTH_MACROS}
FUNCTION {show} { duplicate$ missing$ { pop$ "" } 'skip$ if$ " \\endfield " * write$ }
FUNCTION {names} {
  author missing$
    { "" }
    { author num.names$ 'n :=
      #1 'i :=
      { i n #1 + < } { author i "{ff}/{vv}/{ll}/{jj}" format.name$ " \\name " * write$ i #1 + 'i := } while$
      "" }
  if$
  show
}
FUNCTION {entry} {
  "\\entry " type$ * " " * cite$ * " \\endfield " * write$
  names title show journal show year show month show eprint show archiveprefix show primaryclass show doi show url show note show abstract show
  newline$
}
FUNCTION {article} { entry }
FUNCTION {misc} { entry }
FUNCTION {default.type} { entry }
READ
ITERATE {call.type$}
`;

interface BibtexRun {
  status: number | null;
  log: string;
  bbl: string;
}

function runBibtex(bib: string, style: 'plain' | 'abbrv' | 'alpha' | 'dump' | 'fields'): BibtexRun {
  const dir = mkdtempSync(join(tmpdir(), 'papers-bibtex-'));
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
  try {
    writeFileSync(join(dir, 'refs.bib'), bib);
    writeFileSync(join(dir, 'dump.bst'), DUMP_BST);
    writeFileSync(join(dir, 'fields.bst'), FIELDS_BST);
    writeFileSync(join(dir, 'job.aux'), `\\citation{*}\n\\bibstyle{${style}}\n\\bibdata{refs}\n`);
    // The trailing colon keeps TeX's own search path after this folder (plain.bst lives there).
    const result = tex('bibtex', ['job'], { cwd: dir, env: { ...process.env, BIBINPUTS: `${dir}:`, BSTINPUTS: `${dir}:` } });
    return { status: result.status, log: `${result.stdout}${result.stderr}${read('job.blg')}`, bbl: read('job.bbl') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function expectAccepted(run: BibtexRun): void {
  expect(run.log).not.toMatch(/error message|I was expecting|Illegal|couldn't open/);
  expect(run.status).toBe(0);
}

const squash = (text: string) => text.replace(/[ \t\r\n]+/g, ' ').trim();

/** [key, title, url, note, abstract] of each entry, as BibTeX read them (through DUMP_BST). */
const fieldsRead = (bbl: string): string[][] =>
  squash(bbl)
    .split('\\entry ')
    .slice(1)
    .map((entry) => entry.split('\\endfield').slice(0, -1).map(squash));

// What LaTeX prints for the escapes the export may write; any other TeX special character left raw is a bug.
const PRINTS: Record<string, string> = {
  '\\textbackslash{}': '\\',
  '\\textasciitilde{}': '~',
  '\\textasciicircum{}': '^',
  '{\\textbraceleft}': '{',
  '{\\textbraceright}': '}',
};
// TeX math ($\beta$, $$x$$) is written as it is, to be typeset: a raw $ in a field starts math, and prints as written.
const ESCAPE =
  /\$\$(?:[^$\\]|\\[^])*\$\$|\$(?:[^$\\]|\\[^])+\$|\\textbackslash\{\}|\\textasciitilde\{\}|\\textasciicircum\{\}|\{\\textbrace(?:left|right)\}|\\[{}%&_#$]|[\\{}%&_#$~^]/g;
const printed = (latex: string) => latex.replace(ESCAPE, (m) => (m.length === 1 ? `<raw ${m}>` : m.startsWith('$') ? m : (PRINTS[m] ?? m.slice(1))));
const unwrap = (title: string) => (title.startsWith('{') && title.endsWith('}') ? title.slice(1, -1) : `<not braced: ${title}>`);

/** Brace depth as BibTeX counts it, backslashes or not: never below zero, zero at the end. */
function balanced(value: string): boolean {
  let depth = 0;
  for (const c of value) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

// Split on \n alone: U+2028 and U+2029 are text in a field, not line ends.
const fieldsWritten = (bib: string) =>
  bib
    .split('\n')
    .map((line) => /^ {2}(\w+) = \{([^]*)\},?$/.exec(line))
    .filter((match) => match !== null)
    .map(([, name, value]) => [name!, value!] as const);
const blank = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');

const TRICKY: Paper[] = [
  paper({ id: 'open-set', title: 'Sets } before { braces', abstract: 'Let the set {x : x > 0 be open.', date: 'Mar 1' }),
  paper({ id: 'balanced', title: 'Odd {Title} 50% of R&D_x #1 $5 ~a ^b \\c }{', abstract: 'An abstract with } and { and 100%.', date: '{Mar} 2' }),
  paper({ id: 'nested', title: '{{a} b}} c {', abstract: '\\{ escaped? \\} {\\em x} }}}{{{', code: 'https://github.com/a/b_c%20d' }),
];

describe('BibTeX export: braces', () => {
  it('pairs stay \\{...\\}; a lone brace is {\\textbraceleft} or {\\textbraceright}', () => {
    expect(renderBibtex(TRICKY)).toBe(
      [
        '@misc{open-set,',
        '  title = {{Sets {\\textbraceright} before {\\textbraceleft} braces}},',
        '  note = {Papers digest of Mar 1},',
        '  abstract = {Let the set {\\textbraceleft}x : x > 0 be open.}',
        '}',
        '',
        '@misc{balanced,',
        '  title = {{Odd \\{Title\\} 50\\% of R\\&D\\_x \\#1 \\$5 \\textasciitilde{}a \\textasciicircum{}b \\textbackslash{}c {\\textbraceright}{\\textbraceleft}}},',
        '  note = {Papers digest of \\{Mar\\} 2},',
        '  abstract = {An abstract with {\\textbraceright} and {\\textbraceleft} and 100\\%.}',
        '}',
        '',
        '@misc{nested,',
        '  title = {{\\{\\{a\\} b\\}{\\textbraceright} c {\\textbraceleft}}},',
        '  url = {https://github.com/a/b_c%20d},',
        '  abstract = {\\textbackslash{}\\{ escaped? \\textbackslash{}\\} \\{\\textbackslash{}em x\\} {\\textbraceright}{\\textbraceright}{\\textbraceright}{\\textbraceleft}{\\textbraceleft}{\\textbraceleft}}',
        '}',
        '',
      ].join('\n'),
    );
  });

  const piece = fc.oneof(
    fc.constantFrom('{', '}', '{', '}', '\\', '\\{', '\\}', '{\\', '%', '&', '_', '#', '$', '~', '^', ' ', '\t', '\n', '@', '"', ',', '=', 'é', '😀'),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
  );
  const braceText = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));
  const nonBlank = braceText.filter((s) => s.trim() !== '');
  const anyPaper = fc.record({
    id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
    title: nonBlank,
    abstract: nonBlank,
    date: fc.option(nonBlank, { nil: null }),
    source: fc.constant('s'),
    links: fc.array(fc.webUrl(), { maxLength: 2 }),
    code: fc.option(fc.oneof(fc.webUrl(), braceText), { nil: null }),
  });
  const papers = (maxLength: number) => fc.uniqueArray(anyPaper, { selector: (p) => p.id, minLength: 1, maxLength });

  it('property: every field balances as BibTeX counts braces, and prints as the text it came from', () => {
    fc.assert(
      fc.property(papers(6), (list) => {
        const bib = renderBibtex(list);
        const fields = fieldsWritten(bib);
        for (const [name, value] of fields) expect(balanced(value), `${name} = {${value}}`).toBe(true);
        const titles = fields.filter(([name]) => name === 'title').map(([, value]) => printed(unwrap(value)));
        const abstracts = fields.filter(([name]) => name === 'abstract').map(([, value]) => printed(value));
        expect(titles).toEqual(list.map((p) => blank(p.title)));
        expect(abstracts).toEqual(list.map((p) => blank(p.abstract)));
      }),
      { numRuns: 1000 },
    );
  });

  it.skipIf(!hasPlain)(`bibtex with plain.bst takes unbalanced braces without an error, and the .bbl has the escaped text${NO_PLAIN}`, () => {
    const run = runBibtex(renderBibtex(TRICKY), 'plain');
    expectAccepted(run);
    expect(run.bbl).toContain('{Sets {\\textbraceright} before {\\textbraceleft} braces}');
    expect(run.bbl).toContain('\\newblock Papers digest of \\{Mar\\} 2');
    expect(squash(run.bbl)).toContain(
      '{Odd \\{Title\\} 50\\% of R\\&D\\_x \\#1 \\$5 \\textasciitilde{}a \\textasciicircum{}b \\textbackslash{}c {\\textbraceright}{\\textbraceleft}}',
    );
    expect(run.bbl.match(/\\bibitem/g)).toHaveLength(TRICKY.length);
  });

  it.skipIf(!hasBibtex)(`bibtex reads every field whole, abstracts included, and they print as the text${NO_BIBTEX}`, () => {
    const run = runBibtex(renderBibtex(TRICKY), 'dump');
    expectAccepted(run);
    expect(fieldsRead(run.bbl)).toEqual([
      [
        'open-set',
        '{Sets {\\textbraceright} before {\\textbraceleft} braces}',
        '',
        'Papers digest of Mar 1',
        'Let the set {\\textbraceleft}x : x > 0 be open.',
      ],
      [
        'balanced',
        '{Odd \\{Title\\} 50\\% of R\\&D\\_x \\#1 \\$5 \\textasciitilde{}a \\textasciicircum{}b \\textbackslash{}c {\\textbraceright}{\\textbraceleft}}',
        '',
        'Papers digest of \\{Mar\\} 2',
        'An abstract with {\\textbraceright} and {\\textbraceleft} and 100\\%.',
      ],
      [
        'nested',
        '{\\{\\{a\\} b\\}{\\textbraceright} c {\\textbraceleft}}',
        'https://github.com/a/b_c%20d',
        '',
        '\\textbackslash{}\\{ escaped? \\textbackslash{}\\} \\{\\textbackslash{}em x\\} {\\textbraceright}{\\textbraceright}{\\textbraceright}{\\textbraceleft}{\\textbraceleft}{\\textbraceleft}',
      ],
    ]);
    expect(fieldsRead(run.bbl).map(([, title]) => printed(unwrap(title!)))).toEqual(TRICKY.map((p) => p.title));
  });

  // One bibtex run a list of papers, and a short list of runs: each run spawns bibtex (twice with plain.bst).
  it.skipIf(!hasBibtex)(`property: bibtex accepts any text, reads each field whole, and it prints as the text${NO_BIBTEX}`, { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(papers(25), (list) => {
        const bib = renderBibtex(list);
        const run = runBibtex(bib, 'dump');
        expectAccepted(run);
        const read = fieldsRead(run.bbl);
        expect(read.map(([key]) => key)).toEqual(list.map((p) => p.id));
        expect(read.map(([, title]) => squash(printed(unwrap(title!))))).toEqual(list.map((p) => squash(blank(p.title))));
        expect(read.map(([, , , , abstract]) => squash(printed(abstract!)))).toEqual(list.map((p) => squash(blank(p.abstract))));
        expect(read.map(([, , , note]) => note)).toEqual(list.map((p) => (p.date === null ? '' : expect.stringMatching(/^Papers digest of /))));
        if (hasPlain) expectAccepted(runBibtex(bib, 'plain'));
      }),
      { numRuns: 40 },
    );
  });
});

// A paper with every field the citation formats use, as an arXiv listing gives them.
const VIDEOLLAMA = paper({
  id: 'videollama-2',
  title: 'VideoLLaMA 2: Advancing Spatial-Temporal Modeling and Audio Understanding in Video-LLMs',
  abstract: 'We present VideoLLaMA 2, a set of Video-LLMs.',
  date: 'Jun 12',
  code: 'https://github.com/DAMO-NLP-SG/VideoLLaMA2',
  links: ['https://github.com/DAMO-NLP-SG/VideoLLaMA2'],
  authors: ['Zesen Cheng', 'Sicong Leng', 'Hang Zhang', 'Yifei Xin'],
  published: '2024-06-11',
  arxiv: '2406.07476',
  doi: '10.48550/arXiv.2406.07476',
  categories: ['cs.CV', 'cs.CL'],
  url: 'https://arxiv.org/abs/2406.07476',
});
const NAMES = paper({
  id: 'names',
  title: 'Names as {BibTeX} reads them',
  abstract: 'Accents, particles and a team.',
  authors: ['Émile Zola', 'Guido van Rossum', 'Nguyễn Văn An', 'Bjørn Łukasz', '李明', 'Research and Development Team', 'Liu, Wei', 'A, B, C, D'],
  published: '2023-12-01',
  journal: 'Journal of R&D_1',
  doi: '10.1000/xyz{1}',
});

describe('BibTeX export: the fields of a citation', () => {
  it('@misc for a preprint, @article with a journal or a journal DOI; arXiv fields as arXiv writes them', () => {
    expect(renderBibtex([VIDEOLLAMA, NAMES])).toBe(
      [
        '@misc{videollama-2,',
        '  author = {Zesen Cheng and Sicong Leng and Hang Zhang and Yifei Xin},',
        '  title = {{VideoLLaMA 2: Advancing Spatial-Temporal Modeling and Audio Understanding in Video-LLMs}},',
        '  year = {2024},',
        '  month = jun,',
        '  eprint = {2406.07476},',
        '  archivePrefix = {arXiv},',
        '  primaryClass = {cs.CV},',
        '  doi = {10.48550/arXiv.2406.07476},',
        '  url = {https://arxiv.org/abs/2406.07476},',
        '  abstract = {We present VideoLLaMA 2, a set of Video-LLMs.}',
        '}',
        '',
        '@article{names,',
        "  author = {{\\'E}mile Zola and Guido van Rossum and Nguy{\\~{\\^e}}n V{\\u{a}}n An and Bj{\\o}rn {\\L}ukasz and {李明} and " +
          '{Research and Development Team} and Liu, Wei and {A, B, C, D}},',
        '  title = {{Names as \\{BibTeX\\} reads them}},',
        '  journal = {Journal of R\\&D\\_1},',
        '  year = {2023},',
        '  month = dec,',
        '  doi = {10.1000/xyz%7B1%7D},',
        '  abstract = {Accents, particles and a team.}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a paper with no publication date keeps the digest note; arXiv DOIs alone do not make an @article', () => {
    const preprint = paper({ id: 'p', title: 'P', abstract: 'A.', date: 'Mar 1', doi: '10.48550/arXiv.2401.00001', arxiv: '2401.00001' });
    expect(renderBibtex([preprint])).toBe(
      [
        '@misc{p,',
        '  title = {{P}},',
        '  eprint = {2401.00001},',
        '  archivePrefix = {arXiv},',
        '  doi = {10.48550/arXiv.2401.00001},',
        '  url = {https://arxiv.org/abs/2401.00001},',
        '  note = {Papers digest of Mar 1},',
        '  abstract = {A.}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('authoryear keys: surname, year, first title word that says something', () => {
    expect(renderBibtex([VIDEOLLAMA, NAMES], { key: 'authoryear' }).match(/^@\w+\{[^,]*/gm)).toEqual(['@misc{cheng2024videollama', '@article{zola2023names']);
  });

  it.skipIf(!hasBibtex)(`bibtex reads every field whole, and splits the names as written${NO_BIBTEX}`, () => {
    const run = runBibtex(renderBibtex([VIDEOLLAMA, NAMES]), 'fields');
    expectAccepted(run);
    // [type and key, names (first/von/last/jr), title, journal, year, month, eprint, archivePrefix, primaryClass, doi, url, note, abstract]
    expect(fieldsRead(run.bbl)).toEqual([
      [
        'misc videollama-2',
        'Zesen//Cheng/ \\name Sicong//Leng/ \\name Hang//Zhang/ \\name Yifei//Xin/ \\name',
        '{VideoLLaMA 2: Advancing Spatial-Temporal Modeling and Audio Understanding in Video-LLMs}',
        '',
        '2024',
        '6',
        '2406.07476',
        'arXiv',
        'cs.CV',
        '10.48550/arXiv.2406.07476',
        'https://arxiv.org/abs/2406.07476',
        '',
        'We present VideoLLaMA 2, a set of Video-LLMs.',
      ],
      [
        'article names',
        "{\\'E}mile//Zola/ \\name Guido/van/Rossum/ \\name Nguy{\\~{\\^e}}n~V{\\u{a}}n//An/ \\name Bj{\\o}rn//{\\L}ukasz/ \\name " +
          '//{李明}/ \\name //{Research and Development Team}/ \\name Wei//Liu/ \\name //{A, B, C, D}/ \\name',
        '{Names as \\{BibTeX\\} reads them}',
        'Journal of R\\&D\\_1',
        '2023',
        '12',
        '',
        '',
        '',
        '10.1000/xyz%7B1%7D',
        '',
        '',
        'Accents, particles and a team.',
      ],
    ]);
  });

  it.skipIf(!hasBibtex)(`a suffix is written where bibtex reads one: "von Last, Jr, First"${NO_BIBTEX}`, () => {
    const authors = ['Martin Luther King Jr.', 'King, Martin Luther, Jr.', 'Ludwig van der Berg, Sr.', 'Henry Ford II', 'Jr.', 'Cheng, Zesen'];
    const bib = renderBibtex([paper({ id: 'suffixes', title: 'S', abstract: 'A.', authors })]);
    expect(bib.split('\n')[1]).toBe(
      '  author = {King, Jr., Martin Luther and King, Jr., Martin Luther and van der Berg, Sr., Ludwig and Ford, II, Henry and Jr. and Cheng, Zesen},',
    );
    const [[, names]] = fieldsRead(runBibtex(bib, 'fields').bbl) as [string[]];
    expect(names!.split(' \\name').map((name) => name.trim())).toEqual([
      'Martin~Luther//King/Jr.',
      'Martin~Luther//King/Jr.',
      'Ludwig/van~der/Berg/Sr.',
      'Henry//Ford/II',
      '//Jr./',
      'Zesen//Cheng/',
      '',
    ]);
  });

  it.skipIf(!hasPlain)(`plain, abbrv and alpha take them without a warning; an accented initial stays a whole letter${NO_PLAIN}`, () => {
    const bib = renderBibtex([VIDEOLLAMA, NAMES]);
    const bbl = Object.fromEntries(
      (['plain', 'abbrv', 'alpha'] as const).map((style) => {
        const run = runBibtex(bib, style);
        expectAccepted(run);
        return [style, squash(run.bbl)];
      }),
    );
    expect(bbl.plain).toContain(
      "{\\'E}mile Zola, Guido van Rossum, Nguy{\\~{\\^e}}n~V{\\u{a}}n An, Bj{\\o}rn {\\L}ukasz, {李明}, {Research and Development Team}",
    );
    expect(bbl.plain).toContain('\\newblock {\\em Journal of R\\&D\\_1}, December 2023.');
    expect(bbl.plain).toContain('Understanding in Video-LLMs}, June 2024.');
    expect(bbl.abbrv).toContain("{\\'E}.~Zola, G.~van Rossum, N.~V. An, B.~{\\L}ukasz, {李明}, {Research and Development Team}, W.~Liu, and {A, B, C, D}.");
    expect(bbl.abbrv).toContain('Z.~Cheng, S.~Leng, H.~Zhang, and Y.~Xin.');
    expect(bbl.alpha).toContain('\\bibitem[CLZX24]{videollama-2}');
    expect(bbl.alpha).toContain('\\bibitem[ZvRA{\\etalchar{+}}23]{names}');
  });

  // Why names are written with TeX accents: bibtex works on bytes, so a raw "É" is no capital to it ("Émile" becomes a
  // lower-case von part, left unabbreviated) and an initial is one byte of a UTF-8 letter (invalid UTF-8 for LaTeX).
  it.skipIf(!hasPlain)(`(the reason) raw UTF-8 names are misread by bibtex${NO_PLAIN}`, () => {
    const raw = '@misc{raw, author = {Émile Zola and 李 明}, title = {Raw}}\n';
    const bbl = runBibtex(raw, 'abbrv').bbl;
    expect(bbl).toContain('Émile Zola');
    // The first byte of 李 alone, which is no UTF-8 (read back as U+FFFD).
    expect(bbl).toContain('\uFFFD.~明');
  });

  const nameText = fc
    .array(fc.constantFrom('and', 'AND', ' ', ' ', ',', ', ', '{', '}', '\\', 'é', 'Ø', 'ß', '李', 'van', 'Jr.', '~', '%', '-', 'Ann', 'x'), {
      minLength: 1,
      maxLength: 12,
    })
    .map((parts) => parts.join(''))
    .filter((s) => s.trim() !== '');
  const citedPaper = fc.record({
    id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
    title: nameText,
    abstract: nameText,
    date: fc.constant(null),
    source: fc.constant('s'),
    links: fc.constant<string[]>([]),
    code: fc.constant(null),
    authors: fc.array(nameText, { minLength: 1, maxLength: 5 }),
    published: fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    arxiv: fc.constantFrom('2406.07476', 'hep-th/9901001'),
    doi: fc.constantFrom('10.48550/arXiv.2406.07476', '10.1000/a{b', '10.1000/a}b%_#'),
    journal: fc.option(nameText, { nil: undefined }),
    categories: fc.array(nameText, { minLength: 1, maxLength: 2 }),
  });

  it.skipIf(!hasBibtex)(
    `property: any names, journal and categories: fields balance, bibtex accepts them, and counts each name once${NO_BIBTEX}`,
    { timeout: 60_000 },
    () => {
      fc.assert(
        fc.property(fc.uniqueArray(citedPaper, { selector: (p) => p.id, minLength: 1, maxLength: 15 }), (list) => {
          const bib = renderBibtex(list);
          for (const [name, value] of fieldsWritten(bib)) expect(balanced(value), `${name} = {${value}}`).toBe(true);
          const run = runBibtex(bib, 'fields');
          expectAccepted(run);
          const read = fieldsRead(run.bbl);
          expect(read.map(([entry]) => entry!.split(' ')[1])).toEqual(list.map((p) => p.id));
          expect(read.map(([, names]) => names!.split('\\name').length - 1)).toEqual(list.map((p) => p.authors.length));
          expect(read.map(([, , , , year]) => year)).toEqual(list.map((p) => p.published.slice(0, 4)));
          if (hasPlain) for (const style of ['plain', 'abbrv', 'alpha'] as const) expectAccepted(runBibtex(bib, style));
        }),
        { numRuns: 20 },
      );
    },
  );
});

describe('Markdown export: only http(s) URLs become links', () => {
  it('javascript:, data:, vbscript: and other schemes are shown as code, not linked; blank ones are left out', () => {
    const list = [
      paper({
        id: 'evil',
        title: 'Evil',
        abstract: 'Clicks.',
        code: 'javascript:alert(1)',
        links: [
          'javascript:alert(1)',
          'data:text/html,<script>alert(1)</script>',
          ' VBScript:msgbox(1)',
          'java\tscript:alert(2)',
          'JavaScript:alert(3)//https://example.org',
          'mailto:a@b.c',
          'arxiv.org/abs/1706.03762',
          '`tick`s',
          'https://example.org/a_b',
          'HTTP://EXAMPLE.ORG/B',
          ' \n ',
        ],
      }),
      paper({ id: 'web', title: 'Web', abstract: 'Fine.', code: 'https://github.com/a/b', links: ['https://github.com/a/b', 'http://x.org/{y}'] }),
    ];
    expect(renderMarkdown(list)).toBe(
      [
        '# Reading list',
        '',
        '- **Evil** (`evil`)\\',
        '  Clicks.\\',
        '  code: `javascript:alert(1)` · link: `data:text/html,<script>alert(1)</script>` · link: `VBScript:msgbox(1)` · link: `javascript:alert(2)` · ' +
          'link: `JavaScript:alert(3)//https://example.org` · link: `mailto:a@b.c` · link: `arxiv.org/abs/1706.03762` · link: `` `tick`s `` · ' +
          '[link](<https://example.org/a_b>) · [link](<HTTP://EXAMPLE.ORG/B>)',
        '- **Web** (`web`)\\',
        '  Fine.\\',
        '  [code](<https://github.com/a/b>) · [link](<http://x.org/%7By%7D>)',
        '',
      ].join('\n'),
    );
  });

  it('authors (three, then et al.) and the arXiv page come first when the paper has them', () => {
    const three = paper({ id: 'three', title: 'Three', abstract: 'A.', authors: ['A *One*', 'B Two', 'C Three'], arxiv: 'hep-th/9901001' });
    expect(renderMarkdown([VIDEOLLAMA, three])).toBe(
      [
        '# Reading list',
        '',
        '- **VideoLLaMA 2: Advancing Spatial-Temporal Modeling and Audio Understanding in Video-LLMs** (`videollama-2`), Jun 12\\',
        '  Zesen Cheng, Sicong Leng, Hang Zhang et al.\\',
        '  We present VideoLLaMA 2, a set of Video-LLMs.\\',
        '  [arXiv](<https://arxiv.org/abs/2406.07476>) · [code](<https://github.com/DAMO-NLP-SG/VideoLLaMA2>)',
        '- **Three** (`three`)\\',
        '  A \\*One\\*, B Two, C Three\\',
        '  A.\\',
        '  [arXiv](<https://arxiv.org/abs/hep-th/9901001>)',
        '',
      ].join('\n'),
    );
  });

  it('an https URL cannot close its link early and open a javascript: one', () => {
    const list = [
      paper({ id: 'p', title: 'P', abstract: 'A.', links: ['https://x.org/a>)[x](javascript:alert(1)', 'https://x.org/b\\', 'https://x.org/<c>'] }),
    ];
    expect(renderMarkdown(list).split('\n')[4]).toBe(
      '  [link](<https://x.org/a\\>)[x](javascript:alert(1)>) · [link](<https://x.org/b\\\\>) · [link](<https://x.org/\\<c\\>>)',
    );
  });
});
