import { openInBrowser } from '../base/browser.js';
import { findPaperByRef, loadCorpusView, type Context } from '../app/context.js';
import { pageToOpen, type PaperPages } from '../corpus/links.js';
import { sanitize } from '../base/terminal.js';

export interface OpenOptions {
  pdf?: boolean;
  code?: boolean;
  hf?: boolean;
  project?: boolean;
  print?: boolean;
}

export async function openPaper(context: Context, id: string, options: OpenOptions): Promise<void> {
  const corpus = await loadCorpusView(context);
  const paper = corpus.paper((await findPaperByRef(corpus, id)).doc);
  const kind: keyof PaperPages | null = options.pdf ? 'pdf' : options.code ? 'code' : options.hf ? 'hf' : options.project ? 'project' : null;
  const url = pageToOpen(paper, kind);
  if (options.print) {
    // A terminal is shown the URL's control characters as escapes; a pipe gets it byte for byte.
    context.io.stdout.write(`${context.io.isTTY ? sanitize(url) : url}\n`);
    return;
  }
  await openInBrowser(url, context.io.env);
}
