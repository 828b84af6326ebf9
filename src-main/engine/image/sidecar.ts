/**
 * XMP sidecars: the `.xmp` file beside a photo that photo tools keep its metadata in. Two
 * namings are in use, and Anytag reads and writes both:
 *   - "full" `photo.jpg.xmp` (darktable, digiKam, Immich): one sidecar per file, even when a RAW
 *     and its JPEG share a base name;
 *   - "base" `photo.xmp` (Lightroom, Capture One, Bridge): the extension replaced.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export const SIDECAR_NAMINGS = ['full', 'base'] as const;
export type SidecarNaming = (typeof SIDECAR_NAMINGS)[number];

/** The sidecar path of `file` under a naming. */
export function sidecarPath(file: string, naming: SidecarNaming): string {
  if (naming === 'full') return `${file}.xmp`;
  const { dir, name } = path.parse(file);
  return path.join(dir, `${name}.xmp`);
}

/** Sidecar candidates in the order they are read: darktable's, then Lightroom's (either case). */
export function sidecarCandidates(file: string): string[] {
  const base = sidecarPath(file, 'base');
  return [sidecarPath(file, 'full'), `${file}.XMP`, base, base.replace(/\.xmp$/, '.XMP')];
}

/**
 * The first sidecar beside `file` that exists, with its bytes and modification time (ms);
 * undefined when there is none.
 */
export async function readSidecar(
  file: string,
): Promise<{ path: string; bytes: Buffer; mtimeMs: number } | undefined> {
  for (const candidate of sidecarCandidates(file)) {
    try {
      const { mtimeMs } = await stat(candidate);
      return { path: candidate, bytes: await readFile(candidate), mtimeMs };
    } catch {
      // Missing, or unreadable (permissions): skipped either way, the photo still indexes.
      continue;
    }
  }
  return undefined;
}

/** True for an XMP sidecar's file name (any case). */
export function isSidecarName(name: string): boolean {
  return /\.xmp$/i.test(name);
}

/**
 * Whether `sidecar` belongs to `photo` under either naming: `photo.jpg.xmp`, or `photo.xmp`
 * beside a photo named `photo.<ext>`.
 */
export function isSidecarOf(sidecar: string, photo: string): boolean {
  return sidecarCandidates(photo).some((candidate) => candidate === sidecar);
}
