/**
 * The user's own keywords, from every place photo tools keep them: IPTC Keywords (2:25), XMP
 * dc:subject (Lightroom, darktable, Apple Photos' export, Immich), lr:hierarchicalSubject
 * (`A|B|leaf`), digiKam:TagsList (`A/B/leaf`), MicrosoftPhoto:LastKeywordXMP and EXIF XPKeywords
 * (Windows). Hierarchical ones count by their leaf. Those under the "Anytag" parent — and their
 * flat copies — are Anytag's, not the user's.
 */

/** The parent keyword Anytag writes its tags under (`Anytag|bird`, `Anytag/bird`). */
export const ANYTAG_PARENT = 'Anytag';

type Fields = Record<string, unknown>;

/** Own keywords (dedup by lower case, first spelling kept) and Anytag's, from every source. */
export function collectKeywords(
  xmps: Fields[],
  iptc: string[],
  windows: string | undefined,
): { own: string[]; anytag: string[] } {
  const flat: string[] = [...iptc, ...(windows?.split(';') ?? [])];
  const leaves: string[] = [];
  const anytag = new Set<string>();
  for (const xmp of xmps) {
    const of = (ns: string, name: string) => list((xmp[ns] as Fields | undefined)?.[name]);
    flat.push(...of('dc', 'subject'), ...of('MicrosoftPhoto', 'LastKeywordXMP'));
    for (const [separator, paths] of [
      ['|', of('lr', 'hierarchicalSubject')],
      ['/', of('digiKam', 'TagsList')],
    ] as const) {
      for (const path of paths) {
        const parts = path.split(separator).map((p) => p.trim());
        if (parts[0] === ANYTAG_PARENT && parts.length > 1) anytag.add(parts.at(-1)!);
        else leaves.push(parts.at(-1)!);
      }
    }
  }
  const ours = new Set([...anytag].map((k) => k.toLowerCase()));
  const hierarchicalOwn = new Set(leaves.map((k) => k.toLowerCase()));
  const own = new Map<string, string>();
  for (const keyword of [...flat, ...leaves].map((k) => k.trim()).filter(Boolean)) {
    const key = keyword.toLowerCase();
    // A flat copy of an Anytag keyword is ours unless the user also filed it elsewhere.
    if (ours.has(key) && !hierarchicalOwn.has(key) && !iptc.includes(keyword)) continue;
    if (!own.has(key)) own.set(key, keyword);
  }
  return { own: [...own.values()], anytag: [...anytag] };
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(list);
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  return [];
}

/** Windows XP* tags: UCS-2 little-endian bytes, zero-terminated. */
export function ucs2(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return undefined;
  const bytes = Buffer.from(Object.values(value as Record<string, number>));
  return bytes.toString('utf16le').replace(/\0+$/, '') || undefined;
}
