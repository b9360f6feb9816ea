import { cacheDir, cachePath, clearCache } from '../corpus/cache.js';
import type { Context } from '../context.js';

export async function cachePathCommand(context: Context): Promise<void> {
  context.io.stdout.write(`${cachePath(context.corpusPath, context.io.env)}\n`);
}

export async function clearCacheCommand(context: Context): Promise<void> {
  const removed = clearCache(context.io.env);
  context.io.stderr.write(`removed ${removed} cache file${removed === 1 ? '' : 's'} from ${cacheDir(context.io.env)}\n`);
}
