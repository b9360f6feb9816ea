import { Chalk, type ChalkInstance } from 'chalk';

/** Colours when the output wants them, plain strings otherwise; kept apart so plain output never loads chalk. */
export function painter(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}
