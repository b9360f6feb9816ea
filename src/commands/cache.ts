import type { Context } from '../app/context.js';
import { cacheDir, cachePath, clearCache } from '../index/cache.js';
import { plural } from '../base/text/english.js';

export async function cachePathCommand(context: Context): Promise<void> {
  context.io.stdout.write(`${cachePath(context.corpusPath, context.io.env)}\n`);
}

export async function clearCacheCommand(context: Context): Promise<void> {
  const removed = clearCache(context.io.env);
  context.io.stderr.write(`removed ${plural(removed, 'cache file')} from ${cacheDir(context.io.env)}\n`);
}
