import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NewPaper } from '../src/corpus/paper.js';
import { InputError } from '../src/base/errors.js';
import { readArxivAtom } from '../src/sources/arxiv-atom.js';
import { unwrap } from '../src/sources/text.js';
import { FIXTURES } from './helpers.js';

const fixture = (name: string) => readFileSync(join(FIXTURES, 'sources', 'arxiv', name), 'utf8');
const WANT = 'expected an arXiv API response (Atom), as http://export.arxiv.org/api/query sends it';
const NAMESPACES = 'xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"';

/** A feed in the API's current layout around the given entries. */
const feed = (entries: string, total = 1) =>
  `<?xml version='1.0' encoding='UTF-8'?>\n<feed ${NAMESPACES}>\n  <opensearch:totalResults>${total}</opensearch:totalResults>\n` +
  `  <opensearch:startIndex>0</opensearch:startIndex>\n  <opensearch:itemsPerPage>10</opensearch:itemsPerPage>\n${entries}</feed>\n`;
const entry = (id: string, more = '') =>
  `  <entry>\n    <id>http://arxiv.org/abs/${id}</id>\n    <title>A title</title>\n    <summary>An abstract.</summary>\n${more}  </entry>\n`;

/** The whole message of the InputError that reading `text` throws. */
async function refuse(text: string, name = 'feed.xml'): Promise<string> {
  try {
    await readArxivAtom(text, name);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error('read without an error');
}

describe('readArxivAtom: API responses', () => {
  it('maps entries recorded from the live API, dropping versions from ids and keeping the primary category first', async () => {
    const expected: NewPaper[] = [
      {
        title: 'Towards Explainable Test Case Prioritisation with Learning-to-Rank Models',
        abstract: [
          'Test case prioritisation (TCP) is a critical task in regression testing to ensure quality as software evolves. Machine learning has become',
          'a common way to achieve it. In particular, learning-to-rank (LTR) algorithms provide an effective method of ordering and prioritising test',
          'cases. However, their use poses a challenge in terms of explainability, both globally at the model level and locally for particular results.',
          'Here, we present and discuss scenarios that require different explanations and how the particularities of TCP (multiple builds over time,',
          'test case and test suite variations, etc.) could influence them. We include a preliminary experiment to analyse the similarity of',
          'explanations, showing that they do not only vary depending on test case-specific predictions, but also on the relative ranks.',
        ].join(' '),
        authors: ['Aurora Ramírez', 'Mario Berrios', 'José Raúl Romero', 'Robert Feldt'],
        date: null,
        published: '2024-05-22',
        source: 'feed.xml',
        arxiv: '2405.13786',
        doi: '10.1109/ICSTW58534.2023.00023',
        journal: 'Proc. 2023 IEEE International Conference on Software Testing, Verification and Validation Workshops (ICSTW), pp. 66-69',
        categories: ['cs.SE', 'cs.AI'],
        url: 'https://arxiv.org/abs/2405.13786',
        pdf: 'https://arxiv.org/pdf/2405.13786',
        code: null,
        links: [],
        comments:
          '3rd International Workshop on Artificial Intelligence in Software Testing (AIST) - ' +
          'International Conference on Software Testing and Validation (ICST)',
        line: 10,
      },
      {
        title: 'Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys Toward the Galactic Bulge and Carina',
        abstract: [
          'We derive the frequencies of hot Jupiters (HJs) with 3--5 day periods and very hot Jupiters (VHJs) with 1-3 day periods by comparing the',
          'planets actually detected in the OGLE-III survey with those predicted by our models. The models are constructed following Gould & Morgan',
          '(2003) by populating the line of sight with stars drawn from the Hipparcos catalog. Using these, we demonstrate that the number of stars',
          'with sensitivity to HJs and VHJs is only 4--16% of those in the OGLE-III fields satisfying the spectroscopic-followup limit of V_max<17.5.',
          'Hence, the frequencies we derive are much higher than a naive estimate would indicate. We find that at 90% confidence the fraction of stars',
          'with planets in the two period ranges is (1/310)(1^{+1.39}_{-0.59}) for HJs and (1/690)(1^{+1.10}_{-0.54}) for VHJs. The HJ rate is',
          'statistically indistinguishable from that found in radial velocity (RV) studies. However, we note that magnitude-limited RV samples are',
          'heavily biased toward metal-rich (hence, planet-bearing) stars, while transit surveys are not, and therefore we expect that more sensitive',
          'transit surveys should find a deficit of HJs as compared to RV surveys. The detection of 3 transiting VHJs, all with periods less than 2',
          'days, is marginally consistent with the complete absence of such detections in RV surveys. The planets detected are consistent with being',
          'uniformly distributed between 1.00 and 1.25 Jovian radii, but there are too few in the sample to map this distribution in detail.',
        ].join(' '),
        // Affiliations have no field in a paper: the names alone.
        authors: ['Andrew Gould', 'Susan Dorsher', 'B. Scott Gaudi', 'Andrzej Udalski'],
        date: null,
        published: '2006-01-02',
        source: 'feed.xml',
        arxiv: 'astro-ph/0601001',
        journal: 'ActaAstron.56:1-50,2006',
        categories: ['astro-ph'],
        url: 'https://arxiv.org/abs/astro-ph/0601001',
        pdf: 'https://arxiv.org/pdf/astro-ph/0601001',
        code: null,
        links: [],
        comments:
          '62 pages including 16 figures and 9 tables. Submitted to Acta Astronomica. ' +
          'Full resolution version at http://www.astronomy.ohio-state.edu/~gould/ogle_hot_jupiters.ps.gz',
        line: 38,
      },
      {
        // A title that looks like a number stays text.
        title: '0',
        abstract: [
          'What is the funniest number in cryptography? 0. The reason is that for all x, x*0 = 0, i.e., the equation is always satisfied no matter what',
          "x is. This article discusses crypto bugs in four BLS signatures' libraries (ethereum/py ecc, supranational/blst, herumi/bls, sigp/milagro",
          'bls) that revolve around 0. Furthermore, we develop "splitting zero" attacks to show a weakness in the proof-of-possession aggregate',
          'signature scheme standardized in BLS RFC draft v4. Eth2 bug bounties program generously awarded $35,000 in total for the reported bugs.',
        ].join(' '),
        authors: ['Quan Thoi Minh Nguyen'],
        date: null,
        published: '2021-04-20',
        source: 'feed.xml',
        arxiv: '2104.12255',
        categories: ['cs.CR'],
        url: 'https://arxiv.org/abs/2104.12255',
        pdf: 'https://arxiv.org/pdf/2104.12255',
        code: null,
        links: [],
        line: 67,
      },
    ];
    expect(await readArxivAtom(fixture('feed.xml'), 'feed.xml')).toEqual({ papers: expected, skipped: 0, repeated: 0 });
  });

  it("reads the user manual's older layout: a namespace on every element, text hard-wrapped, an id without version", async () => {
    const expected: NewPaper = {
      title: 'Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA',
      abstract: [
        'Multi-electron production is studied at high electron transverse momentum in positron- and electron-proton collisions using the H1',
        'detector at HERA. The data correspond to an integrated luminosity of 115 pb-1. Di-electron and tri-electron event yields are measured.',
        'Cross sections are derived in a restricted phase space region dominated by photon-photon collisions. In general good agreement is found',
        'with the Standard Model predictions. However, for electron pair invariant masses above 100 GeV, three di-electron events and three',
        'tri-electron events are observed, compared to Standard Model expectations of 0.30 \\pm 0.04 and 0.23 \\pm 0.04, respectively.',
      ].join(' '),
      authors: ['H1 Collaboration'],
      date: null,
      published: '2003-07-07',
      source: 'feed-2007.xml',
      arxiv: 'hep-ex/0307015',
      journal: 'Eur.Phys.J. C31 (2003) 17-29',
      comments: '23 pages, 8 figures and 4 tables',
      categories: ['hep-ex'],
      url: 'https://arxiv.org/abs/hep-ex/0307015',
      pdf: 'https://arxiv.org/pdf/hep-ex/0307015',
      code: null,
      links: [],
      line: 10,
    };
    expect(await readArxivAtom(fixture('feed-2007.xml'), 'feed-2007.xml')).toEqual({ papers: [expected], skipped: 0, repeated: 0 });
  });

  it('reads a feed with no results as no papers', async () => {
    expect(await readArxivAtom(fixture('empty.xml'), 'empty.xml')).toEqual({ papers: [], skipped: 0, repeated: 0 });
  });

  it('reads only the fields an entry has: a minimal entry is title, abstract and id (and the pages its id names)', async () => {
    const { papers } = await readArxivAtom(feed(entry('hep-th/9901001v1')), 'x');
    expect(papers).toEqual([
      {
        title: 'A title',
        abstract: 'An abstract.',
        date: null,
        source: 'x',
        arxiv: 'hep-th/9901001',
        url: 'https://arxiv.org/abs/hep-th/9901001',
        pdf: 'https://arxiv.org/pdf/hep-th/9901001',
        code: null,
        links: [],
        line: 6,
      },
    ]);
  });

  it('keeps arXiv categories only, the primary first and each once', async () => {
    const categories = '<category term="cs.AI"/><category term="I.2.6"/><category term="cs.LG"/><category term="68T05"/><arxiv:primary_category term="cs.LG"/>';
    const { papers } = await readArxivAtom(feed(entry('2410.17243v2', categories)), 'x');
    expect(papers[0]!.categories).toEqual(['cs.LG', 'cs.AI']);
  });

  it('takes the first of several DOIs, and a code repository named in the comment', async () => {
    const more = '<arxiv:doi>10.1000/a.1 10.2000/b.2</arxiv:doi><arxiv:comment>Code:\n  https://github.com/org/repo.</arxiv:comment>';
    const { papers } = await readArxivAtom(feed(entry('2410.17243v2', more)), 'x');
    expect(papers[0]).toMatchObject({ doi: '10.1000/a.1', comments: 'Code: https://github.com/org/repo.', code: 'https://github.com/org/repo', links: [] });
  });

  it('matches elements by namespace, not by prefix', async () => {
    const text =
      '<a:feed xmlns:a="http://www.w3.org/2005/Atom" xmlns:x="http://arxiv.org/schemas/atom" xmlns:arxiv="urn:not-arxiv">' +
      '<a:entry><a:id>http://arxiv.org/abs/2410.17243v1</a:id><a:title>T</a:title><a:summary>S</a:summary>' +
      '<x:journal_ref>J. Test 1 (2024)</x:journal_ref><arxiv:comment>not arXiv’s</arxiv:comment></a:entry></a:feed>';
    const [paper] = (await readArxivAtom(text, 'x')).papers;
    expect(paper).toMatchObject({ arxiv: '2410.17243', journal: 'J. Test 1 (2024)' });
    expect(paper).not.toHaveProperty('comments');
  });

  it('keeps the first of a paper listed twice, whatever its version', async () => {
    const reading = await readArxivAtom(feed(entry('2410.17243v2') + entry('2410.00001v1') + entry('2410.17243v1'), 3), 'x');
    expect(reading.papers.map((p) => p.arxiv)).toEqual(['2410.17243', '2410.00001']);
    expect(reading.repeated).toBe(1);
  });
});

describe('readArxivAtom: refused input', () => {
  it("refuses an arXiv error feed with arXiv's own message, in the current and the older layout", async () => {
    expect(await refuse(fixture('error.xml'), 'error.xml')).toBe('error.xml: arXiv answered with an error: incorrect id format for abc');
    expect(await refuse(fixture('error-2007.xml'), 'error-2007.xml')).toBe('error-2007.xml: arXiv answered with an error: incorrect id format for 1234.12345');
  });

  it('refuses XML that is not an Atom feed, at its root element', async () => {
    expect(await refuse(fixture('rss.xml'), 'rss.xml')).toBe(`rss.xml:2: not an Atom feed: its root element is <rss>, not <feed>; ${WANT}`);
    expect(await refuse('<feed><entry/></feed>')).toBe(
      `feed.xml:1: not an Atom feed: its <feed> is not in the Atom namespace (http://www.w3.org/2005/Atom); ${WANT}`,
    );
  });

  it("refuses arXiv's announcement feed, which looks like Atom but is not an API response", async () => {
    const announcement = feed('  <entry><id>oai:arXiv.org:2603.19236v1</id><title>T</title><summary>arXiv:2603.19236v1 Announce Type: new</summary></entry>\n');
    expect(await refuse(announcement)).toBe(`feed.xml: this is arXiv's daily announcement feed (rss.arxiv.org), not an API response; ${WANT}`);
  });

  it('says a cut-off feed looks truncated', async () => {
    expect(await refuse(fixture('truncated.xml'), 'truncated.xml')).toBe(
      'truncated.xml:22: the XML ends before the feed is complete (unclosed tag: arxiv:journal_ref): the file looks truncated',
    );
  });

  it('refuses text that is not XML, such as the rate limit notice arXiv sends instead of a feed', async () => {
    expect(await refuse('Rate exceeded.')).toBe(`feed.xml: not XML: the file starts with "Rate exceeded."; ${WANT}`);
    expect(await refuse('\n  \n')).toBe(`feed.xml: the file is empty; ${WANT}`);
  });

  it('refuses XML that is not well-formed, naming the line', async () => {
    expect(await refuse(feed(entry('2410.17243v1', '<title>a</titel>\n')))).toBe('feed.xml:10: not well-formed XML: unexpected close tag');
  });

  it('expands no entity a DTD declares: no billion laughs, no external file', async () => {
    const laughs = '<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">';
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE feed [${laughs}]>\n${feed(entry('2410.17243v1'))
      .replace('A title', '&c;')
      .replace(/^<\?xml[^>]*>\n/, '')}`;
    expect(await refuse(bomb)).toBe('feed.xml:9: not well-formed XML: undefined entity');
    const external = `<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n${feed(entry('2410.17243v1'))
      .replace('An abstract.', '&x;')
      .replace(/^<\?xml[^>]*>\n/, '')}`;
    expect(await refuse(external)).toBe('feed.xml:9: not well-formed XML: undefined entity');
  });

  it('refuses an entry without an arXiv id, title or summary, naming the entry and its line', async () => {
    expect(await refuse(feed(entry('2410.17243v1') + entry('2410.17243v1').replace('http://arxiv.org/abs/2410.17243v1', 'urn:x'), 2))).toBe(
      'feed.xml:11: entry 2 has no arXiv id: its <id> is "urn:x"',
    );
    expect(await refuse(feed(entry('2410.17243v1').replace('<title>A title</title>', '<title/>')))).toBe('feed.xml:6: entry 1 (2410.17243) has no title');
    expect(await refuse(feed(entry('2410.17243v1').replace('<summary>An abstract.</summary>', '')))).toBe('feed.xml:6: entry 1 (2410.17243) has no summary');
  });

  it('refuses a page with no entries while its totals say there are more, as arXiv sends when busy', async () => {
    expect(await refuse(feed('', 1200))).toBe('feed.xml: arXiv sent no entries although it reports 1200 results from 0; fetch the page again');
  });
});

describe('readArxivAtom: properties', () => {
  const version = fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }).map((v) => (v === null ? '' : `v${v}`));
  const newStyle = fc
    .tuple(fc.integer({ min: 7, max: 29 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9999 }))
    .map(([y, m, n]) => `${String(y).padStart(2, '0')}${String(m).padStart(2, '0')}.${String(n).padStart(y >= 15 ? 5 : 4, '0')}`);
  const oldStyle = fc
    .tuple(fc.constantFrom('hep-th', 'math.AG', 'cond-mat', 'astro-ph', 'q-bio'), fc.integer({ min: 91, max: 106 }), fc.integer({ min: 1, max: 999 }))
    .map(([archive, y, n]) => `${archive}/${String(y % 100).padStart(2, '0')}01${String(n).padStart(3, '0')}`);
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\n', '&', '<', '>', '"', "'", 'á', '∑', '0'), minLength: 1, maxLength: 40 });

  it('reads any id without its version, and any text as written, unwrapped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(newStyle, oldStyle), version, text, text, async (id, v, title, summary) => {
        fc.pre(unwrap(title) !== '' && unwrap(summary) !== '');
        const xml = feed(`  <entry><id>http://arxiv.org/abs/${id}${v}</id><title>${escape(title)}</title><summary>${escape(summary)}</summary></entry>\n`);
        const [paper] = (await readArxivAtom(xml, 'x')).papers;
        expect(paper).toMatchObject({ arxiv: id, title: unwrap(title), abstract: unwrap(summary) });
      }),
    );
  });
});
