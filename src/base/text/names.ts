/** A person's name as CSL JSON (and Citation.js) has it: split into its parts, or a literal written as is. */
export interface CslName {
  family?: string;
  given?: string;
  'non-dropping-particle'?: string;
  'dropping-particle'?: string;
  suffix?: string;
  literal?: string;
}

/** The name as people write it: "Martin Luther King Jr.", "Guido van Rossum". */
export function writtenName(name: CslName): string {
  if (name.literal?.trim()) return name.literal.trim();
  const parts = [name.given, name['dropping-particle'], name['non-dropping-particle'], name.family, name.suffix];
  return parts
    .map((part) => (typeof part === 'string' ? part.trim() : ''))
    .filter(Boolean)
    .join(' ');
}
