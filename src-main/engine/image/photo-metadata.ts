/**
 * The exifr owner: a photo's metadata from the blocks sharp lifts from its header
 * (`readEmbeddedBlocks`: EXIF, XMP, IPTC — the same for JPEG, PNG, WebP, TIFF and HEIF, from the
 * bytes indexing already read), plus an XMP sidecar beside it. exifr parses in-process; the only
 * I/O here is the sidecar look-up.
 *
 * Keywords ("the user's own tags") come from every place tools keep them (own-keywords.ts).
 * A sidecar wins over the file for single values (rating, title, description) as in Lightroom.
 */
import * as exifrModule from 'exifr';
import { captureTime, type CaptureSource, type DateField } from './capture-time.js';
import { readIim } from './iptc-iim.js';
import { collectKeywords, ucs2 } from './own-keywords.js';
import { readSidecar } from './sidecar.js';

export { ANYTAG_PARENT } from './own-keywords.js';

/** What a photo says about itself. Units: mm, seconds, ISO 12232 speed, WGS 84 degrees. */
export interface PhotoMetadata {
  /** ISO 8601, with the photo's offset when it names one (see capture-time.ts). */
  takenAt: string;
  takenFrom: CaptureSource;
  make?: string;
  model?: string;
  lens?: string;
  focalLength?: number;
  exposureTime?: number;
  fNumber?: number;
  iso?: number;
  gps?: { latitude: number; longitude: number };
  /** -1 (rejected) to 5 stars. */
  rating?: number;
  title?: string;
  description?: string;
  /** The user's own keywords (leaf names, first spelling kept, Anytag's left out). */
  keywords: string[];
  /** Anytag keywords found (under the Anytag parent): what a tool left of what we wrote. */
  anytagKeywords?: string[];
  /** The XMP sidecar that was read, when there was one, and its modification time (ms). */
  sidecar?: string;
  sidecarMtimeMs?: number;
}

/** The raw metadata blocks of an image (sharp's `metadata().exif/.xmp/.iptc`). */
export interface EmbeddedBlocks {
  exif?: Buffer;
  xmp?: Buffer;
  iptc?: Buffer;
}

export interface MetadataSources {
  embedded: EmbeddedBlocks;
  /** The whole file when it is TIFF-based (TIFF, DNG): its IFD0 is the EXIF block. */
  tiffFile?: Buffer;
  /** An XMP sidecar: its path, bytes and (when known) modification time. */
  sidecar?: { path: string; bytes: Buffer; mtimeMs?: number };
  /** The file's modification time (ms), the capture time of last resort. */
  fileMs: number;
}

/**
 * exifr's one face for both loaders: Node loads its CommonJS build (the functions hang off the
 * default export), Vite and bundlers its ES module (named exports only).
 */
const exifr: Pick<typeof exifrModule, 'parse' | 'sidecar'> =
  typeof exifrModule.sidecar === 'function'
    ? exifrModule
    : (exifrModule as unknown as { default: typeof exifrModule }).default;

type Fields = Record<string, unknown>;
const EXIF_OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  iptc: false,
  icc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  mergeOutput: false,
  reviveValues: false,
  translateValues: false,
};

/**
 * A photo's metadata from its header's blocks and its sidecar (read here); `bytes`, the whole
 * file, is parsed itself when it is TIFF-based (TIFF, DNG: IFD0 is the EXIF block).
 */
export async function photoMetadataOf(
  file: string,
  embedded: EmbeddedBlocks,
  info: { format: string; bytes?: Buffer; mtimeMs: number },
): Promise<PhotoMetadata> {
  const sidecar = await readSidecar(file);
  return readPhotoMetadata({
    embedded,
    ...(info.format === 'tiff' && info.bytes && { tiffFile: info.bytes }),
    ...(sidecar && { sidecar }),
    fileMs: info.mtimeMs,
  });
}

/** Reads what the blocks hold; a damaged block is skipped, never fatal. */
export async function readPhotoMetadata(sources: MetadataSources): Promise<PhotoMetadata> {
  const exif = await parseExif(sources);
  const xmp = await parseXmp(sources.embedded.xmp);
  const side = await parseXmp(sources.sidecar?.bytes);
  const iim = sources.embedded.iptc ? readIim(sources.embedded.iptc) : { keywords: [] };
  const ifd0 = (exif.ifd0 ?? {}) as Fields;
  const sub = (exif.exif ?? {}) as Fields;
  const gps = (exif.gps ?? {}) as Fields;
  const xmpOf = (ns: string, name: string): unknown =>
    (side[ns] as Fields | undefined)?.[name] ?? (xmp[ns] as Fields | undefined)?.[name];

  const time = captureTime({
    original:
      dateField(sub.DateTimeOriginal, sub.SubSecTimeOriginal, sub.OffsetTimeOriginal) ??
      dateField(xmpOf('exif', 'DateTimeOriginal')) ??
      dateField(xmpOf('photoshop', 'DateCreated')),
    created:
      dateField(sub.CreateDate, sub.SubSecTimeDigitized, sub.OffsetTimeDigitized) ??
      dateField(xmpOf('xmp', 'CreateDate')),
    ...(typeof gps.GPSDateStamp === 'string' && { gpsDate: gps.GPSDateStamp }),
    ...(Array.isArray(gps.GPSTimeStamp) && { gpsTime: gps.GPSTimeStamp as number[] }),
    fileMs: sources.fileMs,
  });
  const meta: PhotoMetadata = { ...time, keywords: [] };
  setText(meta, 'make', ifd0.Make ?? xmpOf('tiff', 'Make'));
  setText(meta, 'model', ifd0.Model ?? xmpOf('tiff', 'Model'));
  setText(meta, 'lens', sub.LensModel ?? xmpOf('aux', 'Lens') ?? xmpOf('exifEX', 'LensModel'));
  setNumber(meta, 'focalLength', sub.FocalLength);
  setNumber(meta, 'exposureTime', sub.ExposureTime);
  setNumber(meta, 'fNumber', sub.FNumber);
  setNumber(meta, 'iso', sub.ISO ?? sub.ISOSpeedRatings);
  const { latitude, longitude } = gps as { latitude?: unknown; longitude?: unknown };
  if (isFiniteNumber(latitude) && isFiniteNumber(longitude)) meta.gps = { latitude, longitude };
  setNumber(meta, 'rating', xmpOf('xmp', 'Rating') ?? ifd0.Rating);
  setText(meta, 'title', langAlt(xmpOf('dc', 'title')) ?? iim.objectName ?? ucs2(ifd0.XPTitle));
  setText(
    meta,
    'description',
    langAlt(xmpOf('dc', 'description')) ?? iim.caption ?? ifd0.ImageDescription,
  );
  const keywords = collectKeywords([xmp, side], iim.keywords, ucs2(ifd0.XPKeywords));
  meta.keywords = keywords.own;
  if (keywords.anytag.length) meta.anytagKeywords = keywords.anytag;
  if (sources.sidecar) meta.sidecar = sources.sidecar.path;
  if (sources.sidecar?.mtimeMs !== undefined) meta.sidecarMtimeMs = sources.sidecar.mtimeMs;
  return meta;
}

async function parseExif(sources: MetadataSources): Promise<Fields> {
  let block = sources.embedded.exif ?? sources.tiffFile;
  if (!block) return {};
  // sharp hands JPEG/HEIF EXIF over with its "Exif\0\0" APP1 header; exifr wants the TIFF inside.
  if (block.subarray(0, 6).toString('latin1') === 'Exif\0\0') block = block.subarray(6);
  try {
    return ((await exifr.parse(block, EXIF_OPTIONS)) ?? {}) as Fields;
  } catch {
    return {};
  }
}

async function parseXmp(bytes: Buffer | undefined): Promise<Fields> {
  if (!bytes?.length) return {};
  try {
    return ((await exifr.sidecar(bytes, { xmp: true }, 'xmp')) ?? {}) as Fields;
  } catch {
    return {};
  }
}

/** XMP "Lang Alt" ({lang, value} or a list of them) → the default (first) text. */
function langAlt(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return langAlt(value[0]);
  if (value && typeof value === 'object' && 'value' in value) return langAlt(value.value);
  return undefined;
}

function dateField(value: unknown, subSeconds?: unknown, offset?: unknown): DateField | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  return {
    value,
    ...(typeof subSeconds === 'string' || typeof subSeconds === 'number'
      ? { subSeconds: String(subSeconds) }
      : {}),
    ...(typeof offset === 'string' && { offset }),
  };
}

type TextKey = 'make' | 'model' | 'lens' | 'title' | 'description';
type NumberKey = 'focalLength' | 'exposureTime' | 'fNumber' | 'iso' | 'rating';

function setText(meta: PhotoMetadata, key: TextKey, value: unknown): void {
  const text = typeof value === 'string' ? value.replace(/\0+$/, '').trim() : '';
  if (text) meta[key] = text;
}

function setNumber(meta: PhotoMetadata, key: NumberKey, value: unknown): void {
  const number = Array.isArray(value) ? value[0] : typeof value === 'string' ? +value : value;
  if (isFiniteNumber(number)) meta[key] = number;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
