/** An error meant for the user: one line on stderr, and the exit code it maps to. */
export class PapersError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad arguments or a malformed query: exit 2. */
export class UsageError extends PapersError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A file that cannot be read, parsed or written: exit 2. `file` and `line` are named in the message. */
export class InputError extends PapersError {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(file ? `${file}${line ? `:${line}` : ''}: ${message}` : message, 2);
  }
}

/** A write that found no space left on the device (ENOSPC): what was written before it may need saying. */
export class DiskFull extends InputError {}

/** A path whose links lead back to themselves (ELOOP), whatever papers meant to do with it. */
export const symlinkLoop = (path: string) => new InputError('is a symbolic link loop', path);

/** A response in which a service explains, in its own words, why it sent no papers. */
export class ServiceAnswer extends InputError {}

/** Nothing matched (grep's exit 1). */
export class NotFoundError extends PapersError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** The one wording for a value that is not among the allowed ones. */
export function unknownChoice(what: string, value: string, choices: readonly string[]): UsageError {
  return new UsageError(`unknown ${what} \`${value}\`: use ${choices.join(', ')}`);
}

/** The reader of our output went away (`papers list | head -1`): their choice, so not an error, and nothing more to write. */
export class OutputClosed extends PapersError {
  constructor() {
    super('output closed', 0);
  }
}

/** The user left without choosing (Esc in \`pick\`): exit 1, and nothing to say. */
export class Cancelled extends PapersError {
  constructor() {
    super('cancelled', 1);
  }
}

/** The derived cache failed a check while being read; it is removed, and the command can run again from the YAML. */
export class CacheDamaged extends Error {}

/** A request that got no usable answer (offline, refused, timed out, a server error after retries): exit 2. */
export class NetworkError extends PapersError {
  constructor(message: string) {
    super(message, 2);
  }
}
