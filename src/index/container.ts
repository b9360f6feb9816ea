import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, rmSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { ensureFolder, writeFileAtomic } from '../corpus/files.js';
import { CacheDamaged } from '../base/errors.js';

/*
 * The file format of every cache file: MAGIC, uint32 header length, header JSON, then the sections the
 * header locates, one after another, each with its size and CRC-32. A file is replaced whole (written
 * beside, then renamed), so readers see an old or a new one, never a mix. What is read whole is checked
 * whole; what is read in part is checked by checksums of its own, kept in another section.
 */
const MAGIC = Buffer.from('papers-cache\n');

export type Placed<Name extends string> = Record<Name, [offset: number, size: number, crc: number]>;

/** A section: its size and checksum, and its chunks, made when it is written. */
export interface Section {
  size: number;
  crc: number;
  chunks: () => Iterable<Uint8Array>;
}

export const bytesOf = (array: Uint8Array | Uint32Array | Float64Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
export const crcOf = (chunks: Iterable<Uint8Array>) => {
  let crc = 0;
  for (const chunk of chunks) crc = crc32(chunk, crc);
  return crc;
};

export function section(chunks: Uint8Array[]): Section {
  return { size: chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0), crc: crcOf(chunks), chunks: () => chunks };
}

export const textSection = (text: string) => section([Buffer.from(text)]);
export const arraySection = (array: Uint8Array | Uint32Array | Float64Array) => section([bytesOf(array)]);

/**
 * The cache folder may be shared: a link or a FIFO where a cache file should be is not written through
 * or into (that could overwrite another file, or block), and the cache is simply not used.
 */
function refuseOddFile(path: string): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw new Error(`${path} is not a regular file`);
}

const uid = process.getuid?.();

/**
 * Whether a cache file or folder is this user's own and writable by no one else (always, where there are no
 * POSIX users): in a folder others may write to, a cache could be made to say anything.
 */
export function isPrivate(stat: Stats): boolean {
  return uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0);
}

/** The folder of a cache file, made for this user alone (0700) when missing; an error when others may write to it. */
function privateFolder(path: string): void {
  const dir = dirname(resolve(path));
  if (!statSync(dir, { throwIfNoEntry: false })) {
    ensureFolder(dirname(dir));
    mkdirSync(dir, { mode: 0o700 });
  }
  if (!isPrivate(statSync(dir))) throw new Error(`${dir} may be written by others`);
}

/** Writes `header` (with where each section lies) and the sections, in the order of `names`. */
export function writeSectioned<Name extends string>(path: string, header: object, names: readonly Name[], sections: Record<Name, Section>): void {
  const placed = {} as Placed<Name>;
  let offset = 0;
  for (const name of names) {
    placed[name] = [offset, sections[name].size, sections[name].crc];
    offset += sections[name].size;
  }
  const headerBytes = Buffer.from(JSON.stringify({ ...header, sections: placed }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  privateFolder(path);
  refuseOddFile(path);
  writeFileAtomic(
    path,
    (function* () {
      yield* [MAGIC, length, headerBytes];
      for (const name of names) yield* sections[name].chunks();
    })(),
    // Derived, and checked section by section when read: a cache a power cut cut short is rebuilt. Readable by
    // this user alone, whoever wrote the file it replaces.
    { durable: false, private: true },
  );
}

/**
 * Bytes of a section, from `from`, checked against `crc` (by default the whole section's when it is read whole; null: checked by the caller),
 * read into `into` (of exactly that length) when given.
 */
export type Read<Name extends string> = (name: Name, from?: number, length?: number, crc?: number | null, into?: Uint8Array) => Uint8Array;

export interface Opened<Name extends string, H> {
  header: H & { sections: Placed<Name> };
  read: Read<Name>;
  /** Removes the file, so that the command, run again, rebuilds it, and says why. */
  damaged: (what: string) => never;
  /** The file opened (what is derived from it can be kept for exactly this file). */
  stat: Stats;
}

/**
 * The cache file at `path` if `current` accepts its header, else null (none, stale, unreadable or cut
 * short). Sections are read lazily, when asked for; the file stays open for that.
 */
export function openSectioned<Name extends string, H>(
  path: string,
  names: readonly Name[],
  current: (header: H & { sections: Placed<Name> }) => boolean,
): Opened<Name, H> | null {
  let fd: number;
  try {
    // Without blocking: a FIFO put where the cache should be would otherwise stop every command.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a file');
    // Written by someone else, or open to them: rebuilt, privately.
    if (!isPrivate(stat) || !isPrivate(statSync(dirname(resolve(path))))) throw new Error('not private');
    const head = Buffer.alloc(MAGIC.length + 4);
    if (readSync(fd, head, 0, head.length, 0) !== head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a cache');
    const headerLength = head.readUInt32LE(MAGIC.length);
    if (headerLength > stat.size) throw new Error('header longer than the file');
    const headerBytes = Buffer.alloc(headerLength);
    if (readSync(fd, headerBytes, 0, headerLength, head.length) !== headerLength) throw new Error('short header');
    const header = JSON.parse(headerBytes.toString()) as H & { sections: Placed<Name> };
    if (!current(header)) throw new Error('stale');
    // Check now that the sections are all there and in order (a cut-short file is rebuilt).
    const base = head.length + headerLength;
    let end = 0;
    for (const name of names) {
      const [offset, length] = header.sections?.[name] ?? [-1, -1];
      if (offset !== end || !(length >= 0)) throw new Error(`${name} misplaced`);
      end += length;
    }
    if (stat.size !== base + end) throw new Error('incomplete');
    const damaged = (what: string): never => {
      rmSync(path, { force: true });
      throw new CacheDamaged(`the cache ${path} is damaged (${what})`);
    };
    const read: Read<Name> = (name, from = 0, length, crc, into) => {
      const [offset, size, sectionCrc] = header.sections[name];
      const want = length ?? size - from;
      if (from < 0 || want < 0 || from + want > size) damaged(`${name} out of bounds`);
      const bytes = into?.length === want ? into : new Uint8Array(new ArrayBuffer(want));
      if (want > 0 && readSync(fd, bytes, 0, want, base + offset + from) !== want) damaged(`short ${name}`);
      const expected = crc === undefined ? (from === 0 && want === size ? sectionCrc : undefined) : crc;
      if (expected === undefined) throw new Error(`${name} read in part without a checksum`);
      if (expected !== null && crc32(bytes) !== expected) damaged(`${name} does not match its checksum`);
      return bytes;
    };
    return { header, read, damaged, stat };
  } catch {
    closeSync(fd);
    return null;
  }
}

export const textOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString();

/** A section holding JSON, checked to be what papers wrote. */
export function jsonOf<T>(bytes: Uint8Array, check: (value: unknown) => value is T, damaged: (what: string) => never, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(textOf(bytes));
  } catch {
    value = undefined;
  }
  return check(value) ? value : damaged(`${what} is not what papers wrote`);
}
