// Architecture rules for `depcruise src` (dependency-cruiser 17).
// Layers, lowest first; a module may import modules of its own layer and of the layers it lists.
const BASE = '^src/base/';
const CORPUS = '^src/corpus/';
const SOURCES = '^src/sources/';
const INDEX = '^src/index/';
const SEARCH = '^src/search/';
const RENDER = '^src/render/';
const APP = '^src/app/';
const NET = '^src/net/';
const COMMANDS = '^src/commands/';
const CLI = '^src/cli(\\.ts$|/)';
const MAIN = '^src/main\\.ts$';
const any = (...layers) => layers.map((layer) => `(${layer})`).join('|');

/** A rule: modules matching `from` may import, inside src/, only modules matching `allowed`. */
const layer = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: '^src/', pathNot: allowed },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, counting `import type` and dynamic import() edges.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-import-of-main',
      comment: 'src/main.ts is the entry point: nothing imports it.',
      severity: 'error',
      from: {},
      to: { path: MAIN },
    },
    {
      name: 'commands-only-from-cli',
      comment: 'Only src/cli.ts loads commands (lazily); no command imports another command.',
      severity: 'error',
      from: { pathNot: CLI },
      to: { path: COMMANDS },
    },
    {
      name: 'not-in-a-layer',
      comment: 'Every module under src/ belongs to a layer below: add new folders to .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: any(BASE, CORPUS, SOURCES, INDEX, SEARCH, RENDER, NET, APP, COMMANDS, CLI, MAIN) },
      to: {},
    },
    layer('base-imports-base', BASE, BASE, 'base/ (errors, terminal, progress, version, browser, text/) holds the leaves: they import only each other.'),
    layer('corpus-layer', CORPUS, any(CORPUS, BASE), 'corpus/ may import base only.'),
    layer('sources-layer', SOURCES, any(SOURCES, CORPUS, BASE), 'sources/ may import corpus and base.'),
    layer('net-layer', NET, BASE, 'net/ (HTTP and the services it talks to) may import base only.'),
    layer('index-layer', INDEX, any(INDEX, CORPUS, BASE), 'index/ may import corpus and base.'),
    layer('search-layer', SEARCH, any(SEARCH, INDEX, CORPUS, BASE), 'search/ may import index, corpus and base.'),
    layer('render-layer', RENDER, any(RENDER, SEARCH, INDEX, CORPUS, BASE), 'render/ may import search, index, corpus and base.'),
    layer(
      'app-layer',
      APP,
      any(APP, NET, RENDER, SEARCH, INDEX, CORPUS, SOURCES, BASE),
      'app/ (context, intake, fetching, watch, library, picker) may import net, render, search, index, corpus, sources and base.',
    ),
    layer(
      'commands-layer',
      COMMANDS,
      // Commands importing commands are reported once, by commands-only-from-cli.
      any(COMMANDS, APP, NET, RENDER, SEARCH, INDEX, CORPUS, SOURCES, BASE),
      'A command may import app, net and the layers below them; never cli.ts or main.ts.',
    ),
    layer(
      'cli-layer',
      CLI,
      any(CLI, COMMANDS, APP, NET, RENDER, SEARCH, INDEX, CORPUS, SOURCES, BASE),
      'cli.ts and cli/ (the program, its options and help) may import everything but main.ts.',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // See `import type` edges: TypeScript drops them on compilation, and cycles through them still count.
    tsPreCompilationDeps: true,
    // Resolve the `.js` specifiers of NodeNext to the .ts sources.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
