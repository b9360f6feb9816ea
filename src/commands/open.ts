import { spawn } from 'node:child_process';
import { findPaperByRef, loadCorpusView, type Context } from '../context.js';
import { paperPages, type PaperPages } from '../corpus/links.js';
import { NotFoundError, PapersError } from '../errors.js';

export interface OpenOptions {
  pdf?: boolean;
  code?: boolean;
  hf?: boolean;
  project?: boolean;
  print?: boolean;
}

const NAMES: Record<keyof PaperPages, string> = { page: 'page', pdf: 'PDF', hf: 'Hugging Face page', code: 'code', project: 'project page' };

/** The program that opens a URL: $BROWSER (the first of a colon-separated list, `%s` for the URL), else the platform's. */
function opener(url: string, env: NodeJS.ProcessEnv): [string, string[]] {
  const browser = env.BROWSER?.split(':').find((b) => b.trim() !== '');
  if (browser) {
    const words = browser.trim().split(/\s+/);
    const args = words.slice(1).map((w) => w.replace('%s', url));
    return [words[0]!, browser.includes('%s') ? args : [...args, url]];
  }
  if (process.platform === 'darwin') return ['open', [url]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

// An opener that runs this long is taken to be the browser itself, showing the page: waiting longer would hold
// the shell until the browser is closed. xdg-open, open and a browser handing the URL to a running one exit sooner.
const OPENER_SETTLES_MS = 3000;

/** Runs the opener and waits for it to say whether it opened the page: a non-zero exit is a failure, exit 1. */
function launch(url: string, env: NodeJS.ProcessEnv): Promise<void> {
  const [program, args] = opener(url, env);
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { detached: true, stdio: 'ignore', env });
    let settled: NodeJS.Timeout | undefined;
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new PapersError(`cannot run \`${program}\` to open ${url} (${error.code ?? error.message}); set BROWSER, or use --print`, 2)),
    );
    child.once('spawn', () => {
      settled = setTimeout(() => {
        child.removeAllListeners('exit');
        child.unref();
        resolve();
      }, OPENER_SETTLES_MS);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(settled);
      if (code === 0) resolve();
      else
        reject(
          new PapersError(`\`${program}\` could not open ${url} (${signal ? `killed by ${signal}` : `exit status ${code}`}); use --print to get the URL`, 1),
        );
    });
  });
}

export async function openPaper(context: Context, id: string, options: OpenOptions): Promise<void> {
  const corpus = await loadCorpusView(context);
  const paper = corpus.paper((await findPaperByRef(corpus, id)).doc);
  const pages = paperPages(paper);
  const kind = options.pdf ? 'pdf' : options.code ? 'code' : options.hf ? 'hf' : options.project ? 'project' : null;
  // Without a choice: the paper's own page, else the best link it has.
  const url = kind ? pages[kind] : (pages.page ?? pages.pdf ?? pages.code ?? pages.project ?? paper.links[0]);
  if (!url) {
    const has = (Object.keys(pages) as (keyof PaperPages)[]).map((k) => NAMES[k]);
    throw new NotFoundError(
      `\`${paper.id}\` has no ${kind ? NAMES[kind] : 'link'}; ${has.length > 0 ? `it has: ${has.join(', ')}` : 'it has no links at all'}`,
    );
  }
  if (options.print) {
    context.io.stdout.write(`${url}\n`);
    return;
  }
  await launch(url, context.io.env);
}
