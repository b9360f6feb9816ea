import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * Rewrites the sections of a cache file (see src/index/container.ts) with checksums that match, as a cache
 * written by another program would: `change` replaces the sections it wants to.
 */
function rewriteSections(file: string, change: (parts: Record<string, Buffer>) => void): void {
  const bytes = readFileSync(file);
  const magic = 'papers-cache\n'.length;
  const headerLength = bytes.readUInt32LE(magic);
  const header = JSON.parse(bytes.subarray(magic + 4, magic + 4 + headerLength).toString()) as { sections: Record<string, [number, number, number]> };
  const base = magic + 4 + headerLength;
  const names = Object.keys(header.sections);
  const parts = Object.fromEntries(
    names.map((name) => [name, bytes.subarray(base + header.sections[name]![0], base + header.sections[name]![0] + header.sections[name]![1])]),
  );
  change(parts);
  let at = 0;
  for (const name of names) {
    header.sections[name] = [at, parts[name]!.length, crc32(parts[name]!)];
    at += parts[name]!.length;
  }
  const newHeader = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(newHeader.length);
  writeFileSync(file, Buffer.concat([bytes.subarray(0, magic), length, newHeader, ...names.map((name) => parts[name]!)]));
}

/** Changes the text of a corpus file's cache's summaries and papers (the layout is papers' own, see src/index/cache-file.ts). */
export function rewriteCache(file: string, change: (text: string) => string): void {
  rewriteSections(file, (parts) => {
    parts.summaries = Buffer.from(change(parts.summaries!.toString()));
    const docOffsets = new Float64Array(new Uint8Array(parts.docOffsets!).buffer);
    const docs = Array.from({ length: docOffsets.length - 1 }, (_, i) =>
      Buffer.from(change(parts.docs!.subarray(docOffsets[i]!, docOffsets[i + 1]!).toString())),
    );
    const offsets = new Float64Array(docs.length + 1);
    docs.forEach((doc, i) => (offsets[i + 1] = offsets[i]! + doc.length));
    parts.docs = Buffer.concat(docs);
    parts.docOffsets = Buffer.from(offsets.buffer);
    parts.docChecksums = Buffer.from(Uint32Array.from(docs, (doc) => crc32(doc)).buffer);
  });
}

/** Changes the value kept beside a cache (the figures of `stats`). */
export function rewriteKept(file: string, change: (text: string) => string): void {
  rewriteSections(file, (parts) => (parts.value = Buffer.from(change(parts.value!.toString()))));
}
