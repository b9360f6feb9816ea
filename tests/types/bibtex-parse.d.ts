// The test-only BibTeX parser ships no types: the two functions the tests call.
declare module 'bibtex-parse' {
  const bibtex: {
    entries(text: string): Record<string, string>[];
    parse(text: string): { itemtype: string; key?: string; type?: string }[];
  };
  export default bibtex;
}
