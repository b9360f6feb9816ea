// Builds dist/: main.cjs holds papers' own code and commander, which every call needs; each other library
// is bundled alone into dist/vendor/<name>.cjs and loaded only by the code that uses it, so a call parses
// only what its command needs. CommonJS throughout: Node.js loads it synchronously, without the ES module
// loader's asynchronous file reads and resolution, which cost a short command more than its own work.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const VENDORED = [
  '@citation-js/name',
  'chalk',
  'cli-table3',
  'csv-parse/sync',
  'csv-stringify/sync',
  'fuse.js',
  'js-yaml',
  'saxes',
  'stemmer',
  'undici',
  'string-width',
  'wrap-ansi',
  'yaml',
];
// Loaded from node_modules as they are: Citation.js's plugins register themselves with the one copy of its core.
const EXTERNAL = ['@citation-js/core', '@citation-js/plugin-bibtex', '@citation-js/plugin-ris'];
// Ink (the picker's screen) and its layout engine are ES modules with top-level await, which require() cannot
// load: the picker imports them, and the React they share, through this one real import(), from node_modules.
const NATIVE_IMPORT = 'const __papersImport = (specifier) => import(specifier);';
const vendorFile = (name) => `${name.replace(/\//g, '-').replace(/\.js$/, '')}.cjs`;

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minifySyntax: true, logLevel: 'warning' };

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await Promise.all(
  VENDORED.map((name) =>
    build({
      ...common,
      // papers' code is bundled as Node.js reads ES modules: a default import of a CommonJS file is its
      // module.exports. So an ES library's default export becomes module.exports, with its named ones on it;
      // a default that is already its named exports (`export * as default`) is taken as it is.
      stdin: {
        contents: `const m = require(${JSON.stringify(name)});\nconst d = m && m.__esModule && m.default;\nmodule.exports = !d ? m : Object.keys(m).every((k) => k === 'default' || d[k] === m[k]) ? d : Object.assign(d, m);`,
        resolveDir: process.cwd(),
      },
      outfile: `dist/vendor/${vendorFile(name)}`,
    }),
  ),
);

// commander requires node:child_process at load time, for stand-alone executable subcommands that
// papers does not have; loading that module is a few milliseconds of every call, so it gets a stub.
const noChildProcess = {
  name: 'no-child-process-for-commander',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/commander/`) ? { path: 'child_process', namespace: 'stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: "module.exports = { spawn() { throw new Error('papers has no executable subcommands'); } };",
      loader: 'js',
    }));
  },
};

const vendor = {
  name: 'vendored-libraries',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (EXTERNAL.includes(args.path)) return { path: args.path, external: true };
      return VENDORED.includes(args.path) ? { path: `./vendor/${vendorFile(args.path)}`, external: true } : undefined;
    });
  },
};

await build({
  ...common,
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.cjs',
  // import() becomes require(): no ES module loader for the vendored libraries either.
  supported: { 'dynamic-import': false },
  define: {
    PAPERS_VERSION: JSON.stringify(pkg.version),
    PAPERS_HOMEPAGE: JSON.stringify(pkg.homepage),
    PAPERS_IMPORT: '__papersImport',
    'import.meta.url': '__papersUrl',
  },
  banner: { js: `const __papersUrl = require('node:url').pathToFileURL(__filename).href;\n${NATIVE_IMPORT}` },
  plugins: [noChildProcess, vendor],
});
// The threads that write a large import's files into a corpus folder (src/index/writer.ts) run this file.
await build({
  ...common,
  entryPoints: ['src/index/writer-thread.ts'],
  outfile: 'dist/writer-thread.cjs',
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__papersUrl' },
  banner: { js: "const __papersUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [vendor],
});
writeFileSync(new URL('../dist/package.json', import.meta.url), '{ "type": "commonjs" }\n');
