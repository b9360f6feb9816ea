// Bundles src/cli.ts into dist/: one entry plus lazily loaded chunks per command, so start-up
// parses only what the called command needs.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
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
  logLevel: 'warning',
});
