/**
 * HEIC/HEIF decoding with libheif compiled to WebAssembly (libheif-js, which carries libde265):
 * sharp's prebuilt libvips reads HEIF containers but has no HEVC decoder, and almost every phone
 * HEIC is HEVC. The primary image is decoded (a Samsung or Apple motion photo's still; a burst's
 * cover), with the file's rotation and mirroring (irot/imir) applied by libheif, to RGBA pixels
 * that go on into the same sharp pipeline as every other photo.
 */
import { createRequire } from 'node:module';
import { AnytagError } from '../errors.js';

interface HeifImage {
  get_width(): number;
  get_height(): number;
  is_primary(): boolean;
  display(
    target: { data: Uint8ClampedArray; width: number; height: number },
    done: (result: { data: Uint8ClampedArray } | null) => void,
  ): void;
  free(): void;
}

interface LibHeif {
  ready?: Promise<void>;
  HeifDecoder: new () => {
    decoder: { delete(): void } | null;
    decode(bytes: Uint8Array): HeifImage[];
  };
}

let libheif: LibHeif | undefined;

function load(): LibHeif {
  // The bundle embeds the .wasm, so it loads the same from out/, a worker, or a packaged app.
  libheif ??= createRequire(import.meta.url)('libheif-js/wasm-bundle') as LibHeif;
  return libheif;
}

export interface RgbaPixels {
  /** width × height × 4 bytes, RGBA, row-major. */
  data: Buffer;
  width: number;
  height: number;
}

/** ISO-BMFF major brands of HEIF still images and sequences (HEVC, AV1 and generic). */
const HEIF_BRANDS = new Set([
  'heic',
  'heix',
  'heim',
  'heis',
  'hevc',
  'hevx',
  'mif1',
  'msf1',
  'avif',
]);

/** Whether the bytes start like a HEIF file (an `ftyp` box with a HEIF brand). */
export function looksLikeHeif(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  const box = Buffer.from(bytes.buffer, bytes.byteOffset, 16);
  return box.toString('latin1', 4, 8) === 'ftyp' && HEIF_BRANDS.has(box.toString('latin1', 8, 12));
}

/** Pixels above which a HEIF file is refused before decoding (the same cap as sharp's). */
export interface HeifLimits {
  maxPixels: number;
}

/**
 * Decodes the primary image of a HEIF file to RGBA.
 * Errors: IMAGE_UNREADABLE (not a HEIF file, no image, decode failed), IMAGE_TOO_LARGE.
 */
export async function decodeHeif(bytes: Uint8Array, limits: HeifLimits): Promise<RgbaPixels> {
  const lib = load();
  await lib.ready;
  const decoder = new lib.HeifDecoder();
  const images = decoder.decode(bytes);
  try {
    if (images.length === 0) {
      throw new AnytagError('IMAGE_UNREADABLE', 'libheif found no image in the HEIF file');
    }
    const image = images.find((i) => i.is_primary()) ?? images[0]!;
    const width = image.get_width();
    const height = image.get_height();
    if (width * height > limits.maxPixels) {
      throw new AnytagError('IMAGE_TOO_LARGE', `HEIF image is ${width}×${height} pixels`);
    }
    const target = { data: new Uint8ClampedArray(width * height * 4), width, height };
    const result = await new Promise<{ data: Uint8ClampedArray } | null>((resolve) =>
      image.display(target, resolve),
    );
    if (!result) throw new AnytagError('IMAGE_UNREADABLE', 'libheif could not decode the image');
    return {
      data: Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength),
      width,
      height,
    };
  } finally {
    for (const image of images) image.free();
    decoder.decoder?.delete();
  }
}
