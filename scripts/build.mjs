// Bundles src/main.ts into dist/: one entry plus lazily loaded chunks per command, so start-up
// parses only what the called command needs.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
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

await build({
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  chunkNames: 'chunks/[name]-[hash]',
  define: { PAPERS_VERSION: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __papersRequire } from 'node:module'; const require = __papersRequire(import.meta.url);" },
  plugins: [noChildProcess],
  logLevel: 'warning',
});
