declare const PAPERS_VERSION: string | undefined;
declare const PAPERS_HOMEPAGE: string | undefined;

/** The package's version, set by the build (from package.json). */
export const VERSION = typeof PAPERS_VERSION === 'string' ? PAPERS_VERSION : '0.0.0-dev';

/** The package's home page (package.json `homepage`), set by the build. */
const HOMEPAGE = typeof PAPERS_HOMEPAGE === 'string' ? PAPERS_HOMEPAGE : 'https://github.com/papers-cli/papers';

/** How papers introduces itself to the services it calls. */
export const USER_AGENT = `papers/${VERSION} (+${HOMEPAGE})`;
