/**
 * Writes photos' tags back where other tools read them, for the library folders that opted in
 * (`tagWriting`): into an XMP sidecar (default; naming as the folder chose) or embedded in the
 * file, through exiftool (image/xmp-keywords.ts). keyword-merge.ts decides the lists; this module decides when:
 *   - only indexed photos, whose file is as the catalogue last saw it and has been still for
 *     SETTLE_MS (never while another program is changing it);
 *   - batched (the catalogue is saved after each batch) and resumable: a photo whose tags and
 *     target match its `written` record is skipped, so an interrupted pass picks up where it was;
 *   - atomic: a sidecar is written to a temporary .xmp beside it and renamed over it, and only if
 *     the sidecar did not change meanwhile; exiftool writes a photo to a temporary file and renames;
 *   - a folder that refuses writes (read-only, permissions) gets `writeError` and is skipped until
 *     its writing is set again: reported, never retried forever.
 * An embedded write changes the file's bytes (not its pixels): the photo's size, mtime and hash
 * are updated so it is not indexed again.
 */
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isNodeError, toErrorShape } from '../errors.js';
import { SerialQueue } from '../serial-queue.js';
import { sidecarPath } from '../image/sidecar.js';
import { readKeywords, writeKeywords, type KeywordLists } from '../image/xmp-keywords.js';
import { thumbnailPath } from '../image/thumbnails.js';
import type { Catalogue } from '../store/catalogue.js';
import type { FolderRecord, PhotoRecord } from '../store/catalogue-schema.js';
import { sha256File } from '../store/file-hash.js';
import type { TagWriting } from '../store/photo-metadata-schema.js';
import { mergeKeywords } from './keyword-merge.js';

/** A file modified this recently may still be being written by another program (ms). */
export const SETTLE_MS = 2000;
/** Photos written between catalogue saves. */
const BATCH = 25;
/** Errors that mean the folder refuses writes: reported once, not retried. */
const REFUSED = new Set(['EACCES', 'EPERM', 'EROFS']);
/** Formats whose IPTC Keywords exiftool writes in place (others carry XMP only). */
const IPTC_FORMATS = new Set(['jpeg', 'tiff']);
/** An empty XMP packet: a new sidecar starts from it. */
const EMPTY_XMP = `<?xpacket begin='\uFEFF' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'></rdf:RDF></x:xmpmeta>
<?xpacket end='w'?>
`;

export interface TagWriteReport {
  written: number;
  /** Already as wanted (written before). */
  unchanged: number;
  /** Not written now: changed on disk, still being written, or not indexed; tried next pass. */
  deferred: number;
  failed: { path: string; code: string; message: string }[];
  /** Folders that refuse writes (now marked with writeError). */
  refused: string[];
}

export class TagWriter {
  private readonly passes = new SerialQueue();

  constructor(
    private readonly catalogue: Catalogue,
    /** The thumbnail cache, when thumbnails are made. */
    private readonly thumbDir?: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * One pass over the opted-in folders (or just `only`); resolves with what it did. Passes run
   * one at a time, whoever asks (the engine after indexing, the API).
   */
  write(only?: string): Promise<TagWriteReport> {
    return this.passes.run(() => this.pass(only));
  }

  private async pass(only?: string): Promise<TagWriteReport> {
    const report: TagWriteReport = {
      written: 0,
      unchanged: 0,
      deferred: 0,
      failed: [],
      refused: [],
    };
    for (const folder of this.catalogue.folders()) {
      if (!folder.tagWriting || folder.writeError || !folder.online) continue;
      if (only && folder.path !== only) continue;
      await this.writeFolder(folder, folder.tagWriting, report);
    }
    await this.catalogue.flush();
    return report;
  }

  private async writeFolder(
    folder: FolderRecord,
    writing: TagWriting,
    report: TagWriteReport,
  ): Promise<void> {
    const photos = this.catalogue.photosUnder(folder.path).filter((p) => p.state === 'indexed');
    for (let at = 0; at < photos.length; at += BATCH) {
      for (const photo of photos.slice(at, at + BATCH)) {
        try {
          const outcome = await this.writePhoto(photo, writing);
          report[outcome]++;
        } catch (error) {
          const shape = toErrorShape(error);
          const errno = isNodeError(error) ? error.code : (shape.details?.errno as string);
          if (errno === 'EBUSY') {
            report.deferred++;
            continue;
          }
          if (errno && REFUSED.has(errno)) {
            this.catalogue.updateFolder(folder, {
              writeError: {
                code: errno,
                message: `Cannot write tags in ${folder.path}: ${shape.message}`,
                at: new Date().toISOString(),
              },
            });
            report.refused.push(folder.path);
            return;
          }
          report.failed.push({ path: photo.path, code: shape.code, message: shape.message });
        }
      }
      await this.catalogue.flush();
    }
  }

  private async writePhoto(
    photo: PhotoRecord,
    writing: TagWriting,
  ): Promise<'written' | 'unchanged' | 'deferred'> {
    const target =
      writing.mode === 'embedded' ? photo.path : sidecarPath(photo.path, writing.naming);
    const tags = photo.tags.map((t) => t.label);
    const previous = photo.written?.target === target ? photo.written : undefined;
    if (
      previous &&
      sameSet(
        previous.keywords,
        tags.filter((t) => !previous.declined?.includes(t)),
      )
    ) {
      return 'unchanged';
    }
    if (!(await this.isStill(photo))) return 'deferred';
    const before = await statOrNull(target);
    const current = before
      ? await readKeywords(target)
      : { subject: [], hierarchical: [], tagsList: [], iptc: [] };
    const embedded = writing.mode === 'embedded';
    const withIptc = embedded && IPTC_FORMATS.has(photo.format ?? '');
    const merged = mergeKeywords(current, tags, previous, { iptc: withIptc });
    const { iptc, ...xmp } = merged.lists;
    const lists = withIptc ? { ...xmp, iptc } : xmp;
    if (embedded) {
      await writeKeywords(target, lists);
      const after = await stat(target);
      const hash = await sha256File(target);
      await this.keepThumbnail(photo, hash);
      this.catalogue.updatePhoto(photo, { size: after.size, mtimeMs: after.mtimeMs });
      this.catalogue.setHash(photo, hash);
    } else {
      await this.replaceSidecar(target, before, lists);
      // The sidecar read at indexing is now ours as written: no need to read it again.
      if (photo.meta && (photo.meta.sidecar ?? target) === target) {
        const { mtimeMs } = await stat(target);
        this.catalogue.updatePhoto(photo, {
          meta: { ...photo.meta, sidecar: target, sidecarMtimeMs: mtimeMs },
        });
      }
    }
    this.catalogue.updatePhoto(photo, {
      written: {
        target,
        keywords: merged.keywords,
        flat: merged.flat,
        ...(merged.declined.length && { declined: merged.declined }),
        at: new Date().toISOString(),
      },
    });
    return 'written';
  }

  /** Thumbnails are named by content hash: the same pixels get the same thumbnail anew. */
  private async keepThumbnail(photo: PhotoRecord, hash: string): Promise<void> {
    if (!this.thumbDir || !photo.thumb || !photo.hash) return;
    const next = thumbnailPath(this.thumbDir, hash);
    try {
      await mkdir(path.dirname(next), { recursive: true });
      await copyFile(thumbnailPath(this.thumbDir, photo.hash), next);
    } catch {
      // No thumbnail to carry over: the photo view falls back to the photo itself.
    }
  }

  /** The photo is as the catalogue last saw it, and nobody wrote it in the last SETTLE_MS. */
  private async isStill(photo: PhotoRecord): Promise<boolean> {
    const info = await statOrNull(photo.path);
    if (!info || info.size !== photo.size || info.mtimeMs !== photo.mtimeMs) return false;
    return this.now() - info.mtimeMs >= SETTLE_MS;
  }

  /** Writes the lists into a temporary copy of the sidecar and renames it over the sidecar. */
  private async replaceSidecar(
    target: string,
    before: Awaited<ReturnType<typeof statOrNull>>,
    lists: Partial<KeywordLists>,
  ): Promise<void> {
    if (before && this.now() - before.mtimeMs < SETTLE_MS) {
      throw Object.assign(new Error(`${target} is being changed`), { code: 'EBUSY' });
    }
    const { dir, base } = path.parse(target);
    const temp = path.join(dir, `.${base}.anytag-${process.pid}.xmp`);
    try {
      if (before) await copyFile(target, temp);
      else await writeFile(temp, EMPTY_XMP);
      await writeKeywords(temp, lists);
      const now = await statOrNull(target);
      if ((now?.mtimeMs ?? null) !== (before?.mtimeMs ?? null)) {
        throw Object.assign(new Error(`${target} changed while Anytag wrote it`), {
          code: 'EBUSY',
        });
      }
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }
}

async function statOrNull(file: string) {
  try {
    return await stat(file);
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return null;
    throw error;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
}
