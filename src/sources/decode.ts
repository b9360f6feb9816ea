import { InputError } from '../errors.js';
import { NOT_TEXT } from './digest.js';

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

/**
 * Text from a stream of bytes, read as it comes: UTF-8, or UTF-16 when the file says so. Anything else
 * (a binary file, another encoding, /dev/zero, /dev/urandom) is refused at the first chunk that shows it,
 * so memory stays in proportion to the text kept, never to what a device could produce.
 */
export async function decodeStream(chunks: AsyncIterable<Uint8Array | string>, name: string): Promise<string> {
  let decoder: TextDecoder | null = null;
  let encoding: Encoding = 'utf-8';
  const parts: string[] = [];
  for await (const chunk of chunks) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
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
    parts.push(text);
  }
  try {
    parts.push(decoder ? decoder.decode() : '');
  } catch {
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
