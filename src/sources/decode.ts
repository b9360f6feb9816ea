import { InputError } from '../errors.js';
import { NOT_TEXT } from './digest.js';

/** A file's bytes as text; binary files and other encodings are refused rather than garbled. */
export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes.includes(0)) throw new InputError(NOT_TEXT, name);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('not UTF-8 text; save the papers page as UTF-8 text', name);
  }
}
