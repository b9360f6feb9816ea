import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** Changes the value kept beside a cache (a file of one section, see src/index/container.ts), with its checksum made to match. */
export function rewriteKept(file: string, change: (text: string) => string): void {
  const bytes = readFileSync(file);
  const magic = 'papers-cache\n'.length;
  const length = bytes.readUInt32LE(magic);
  const header = JSON.parse(bytes.subarray(magic + 4, magic + 4 + length).toString()) as { sections: { value: [number, number, number] } };
  const value = Buffer.from(change(bytes.subarray(magic + 4 + length).toString()));
  header.sections.value = [0, value.length, crc32(value)];
  const headerBytes = Buffer.from(JSON.stringify(header));
  const lengthBytes = Buffer.alloc(4);
  lengthBytes.writeUInt32LE(headerBytes.length);
  writeFileSync(file, Buffer.concat([bytes.subarray(0, magic), lengthBytes, headerBytes, value]));
}
