import { InputError } from '../base/errors.js';
import { NOT_TEXT } from './digest.js';
import { MAX_TEXT_BYTES } from './limits.js';

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * The encoding a file's first bytes announce: a byte-order mark, or UTF-16 without one, which puts a NUL
 * beside nearly every ASCII letter (what Windows tools save as "Unicode").
 */
function sniff(bytes: Uint8Array): { encoding: Encoding; skip: number } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  const sample = bytes.subarray(0, 512 - (Math.min(bytes.length, 512) % 2));
  if (sample.length >= 4) {
    let even = 0;
    let odd = 0;
    for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? even++ : odd++;
    const half = sample.length / 2;
    if (odd > 0.9 * half && even === 0) return { encoding: 'utf-16le', skip: 0 };
    if (even > 0.9 * half && odd === 0) return { encoding: 'utf-16be', skip: 0 };
  }
  return { encoding: 'utf-8', skip: 0 };
}

export interface DecodeOptions {
  /** The most bytes read: past them the input is refused (endless standard input too). */
  maxBytes?: number;
  /** What the input is, for that refusal: "text", "references". */
  what?: string;
  /** Shown each piece of text as it is decoded, to refuse the input early (a reader's own limits). */
  check?: (text: string) => void;
}

/**
 * Text from a stream of bytes, read as it comes: UTF-8, or UTF-16 when the file says so. Anything else
 * (a binary file, another encoding, /dev/zero, /dev/urandom) is refused at the first chunk that shows it,
 * and so is any input past `maxBytes` (MAX_TEXT_BYTES unless told), so memory stays in proportion to the
 * text kept, never to what a device or a pipe could produce.
 */
export async function decodeStream(chunks: AsyncIterable<Uint8Array | string>, name: string, options: DecodeOptions = {}): Promise<string> {
  const { maxBytes = MAX_TEXT_BYTES, what = 'text', check } = options;
  let decoder: TextDecoder | null = null;
  let encoding: Encoding = 'utf-8';
  const parts: string[] = [];
  let read = 0;
  for await (const chunk of chunks) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    read += bytes.length;
    if (read > maxBytes) throw new InputError(`more than ${maxBytes >> 20} MB of ${what}, the most papers reads at once; split the input`, name);
    if (!decoder) {
      const found = sniff(bytes);
      encoding = found.encoding;
      bytes = bytes.subarray(found.skip);
      decoder = new TextDecoder(encoding, { fatal: true });
    }
    if (encoding === 'utf-8' && bytes.includes(0)) throw new InputError(NOT_TEXT, name);
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw notText(encoding, name);
    }
    if (encoding !== 'utf-8' && text.includes('\u0000')) throw new InputError(NOT_TEXT, name);
    check?.(text);
    parts.push(text);
  }
  try {
    const rest = decoder ? decoder.decode() : '';
    check?.(rest);
    parts.push(rest);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw notText(encoding, name);
  }
  return parts.join('');
}

function notText(encoding: Encoding, name: string): InputError {
  return new InputError(
    encoding === 'utf-8'
      ? 'not UTF-8 text; save the papers page as UTF-8 text'
      : `not valid ${encoding.toUpperCase()} text; save the papers page as UTF-8 text`,
    name,
  );
}
