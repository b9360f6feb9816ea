import { Chalk, type ChalkInstance } from 'chalk';
import type { Io } from '../terminal.js';

/** Colours when the output wants them, plain strings otherwise; kept apart so pipes never load chalk. */
export function painter(io: Pick<Io, 'color'>): ChalkInstance {
  return new Chalk({ level: io.color ? 1 : 0 });
}
