/**
 * Keyword lists in photos and sidecars, read and written through exiftool (the exiftool owner,
 * exiftool.ts, runs the process). exiftool rewrites metadata blocks and copies image data byte
 * for byte, so pixels are never re-encoded, and it writes to a temporary file and renames it
 * over the original.
 */
import { AnytagError } from '../errors.js';
import { exiftool } from './exiftool.js';

/** The keyword lists Anytag reads and writes, as exiftool names them. */
export interface KeywordLists {
  /** XMP-dc:Subject (flat). */
  subject: string[];
  /** XMP-lr:HierarchicalSubject (`Parent|child`). */
  hierarchical: string[];
  /** XMP-digiKam:TagsList (`Parent/child`). */
  tagsList: string[];
  /** IPTC:Keywords (flat; written only into files that carry IPTC). */
  iptc: string[];
}

const TAGS: Record<keyof KeywordLists, string> = {
  subject: 'XMP-dc:Subject',
  hierarchical: 'XMP-lr:HierarchicalSubject',
  tagsList: 'XMP-digiKam:TagsList',
  iptc: 'IPTC:Keywords',
};

/** The keyword lists a file (photo or sidecar) holds now; empty lists when it has none. */
export async function readKeywords(file: string): Promise<KeywordLists> {
  const raw = (await (
    await exiftool()
  ).readRaw(file, {
    readArgs: ['-G1', '-struct', ...Object.values(TAGS).map((t) => `-${t}`)],
  })) as Record<string, unknown>;
  const list = (tag: string): string[] => {
    const value = raw[tag];
    if (value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).map(String);
  };
  return {
    subject: list(TAGS.subject),
    hierarchical: list(TAGS.hierarchical),
    tagsList: list(TAGS.tagsList),
    iptc: list(TAGS.iptc),
  };
}

/**
 * Sets the given lists (whole lists: what is not listed is removed from that tag) in `file`,
 * which must exist (a new sidecar starts as an empty XMP packet). Other metadata is kept.
 * Errors: IO, with errno EACCES when the file or folder refuses writes.
 */
export async function writeKeywords(file: string, lists: Partial<KeywordLists>): Promise<void> {
  const args: string[] = [];
  for (const [key, values] of Object.entries(lists) as [keyof KeywordLists, string[]][]) {
    args.push(`-${TAGS[key]}=`, ...values.map((v) => `-${TAGS[key]}=${v}`));
  }
  try {
    await (await exiftool()).write(file, {}, { writeArgs: ['-overwrite_original', ...args] });
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const errno = /permission denied|read-only/i.test(message) ? 'EACCES' : undefined;
    throw new AnytagError('IO', `exiftool could not write ${file}: ${message}`, {
      file,
      ...(errno && { errno }),
    });
  }
}
