/**
 * The exiftool-vendored owner: one ExifTool process (Perl; the system perl on Linux), started
 * on the first write and ended with the engine (`end`). Anytag writes keywords only through it
 * — exiftool rewrites metadata blocks and copies image data byte for byte, so pixels are never
 * re-encoded, and it writes to a temporary file and renames it over the original.
 */
import { ExifTool } from 'exiftool-vendored';
import { AnytagError } from '../errors.js';

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

/** A write that exiftool refused, with its message (read-only file, unknown format, …). */
export class ExiftoolProcess {
  private tool: ExifTool | undefined;

  private get exiftool(): ExifTool {
    this.tool ??= new ExifTool({ maxProcs: 1, taskTimeoutMillis: 30_000 });
    return this.tool;
  }

  /** The keyword lists a file (photo or sidecar) holds now; empty lists when it has none. */
  async readKeywords(file: string): Promise<KeywordLists> {
    const raw = (await this.exiftool.readRaw(file, {
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
      iptc: list('IPTC:Keywords'),
    };
  }

  /**
   * Sets the given lists (whole lists: what is not listed is removed from that tag) in `file`;
   * a missing .xmp file is created. Other metadata is kept. IO errors keep their errno code.
   */
  async writeKeywords(file: string, lists: Partial<KeywordLists>): Promise<void> {
    const args: string[] = [];
    for (const [key, values] of Object.entries(lists) as [keyof KeywordLists, string[]][]) {
      args.push(`-${TAGS[key]}=`, ...values.map((v) => `-${TAGS[key]}=${v}`));
    }
    try {
      await this.exiftool.write(file, {}, { writeArgs: ['-overwrite_original', ...args] });
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const errno = /permission denied|read-only/i.test(message) ? 'EACCES' : undefined;
      throw new AnytagError('IO', `exiftool could not write ${file}: ${message}`, {
        file,
        ...(errno && { errno }),
      });
    }
  }

  /** Ends the process, if it was started. */
  async end(): Promise<void> {
    const tool = this.tool;
    this.tool = undefined;
    await tool?.end();
  }
}
