/**
 * Decoder failures as IMAGE_* errors with the file's own reason. libvips reports several lines
 * (and, under concurrency, other files' lines: decode.ts re-decodes a failed file alone before
 * it asks here). A decoder limit — a valid file this build cannot read, such as an LZMA or
 * old-style-JPEG TIFF — is IMAGE_UNSUPPORTED with a plain reason; damage is IMAGE_UNREADABLE.
 */
import { AnytagError, isNodeError } from '../errors.js';

/**
 * Refuse decompression bombs: 1 gigapixel is ten times the largest camera sensors (100–150 MP)
 * and above stitched panoramas users keep; shrink-on-load keeps such photos small in memory.
 */
export const MAX_INPUT_PIXELS = 1_000_000_000;

/** Decoder limits (valid files this build's libvips cannot read) and how to say them. */
const DECODER_LIMITS: readonly { pattern: RegExp; reason: (m: RegExpExecArray) => string }[] = [
  {
    pattern:
      /(Old-style JPEG|LZMA|ZSTD|WEBP|JBIG|LERC|[\w-]+) compression support is not configured/i,
    reason: (m) => `TIFF with ${m[1]} compression is not supported by this build's TIFF decoder`,
  },
  {
    pattern: /tiled separate planes not supported/i,
    reason: () => 'tiled TIFF with separate colour planes is not supported by the TIFF decoder',
  },
  {
    pattern: /samples_per_pixel not a whole number of bytes/i,
    reason: () => 'TIFF with samples that are not whole bytes (e.g. 12-bit) is not supported',
  },
  {
    pattern: /bad labq format/i,
    reason: () => 'CIELAB TIFF in this layout is not supported by the TIFF decoder',
  },
  {
    pattern:
      /unsupported (codec|feature)|no decoding plugin|compression format has not been built in/i,
    reason: (m) => `this build has no decoder for it: ${m.input.split('\n')[0]}`,
  },
];

/**
 * The reason libvips gave, tidied: unique lines (libvips repeats one per strip or tile), the
 * file's name dropped, at most three lines joined by "; ". Deterministic for a given message.
 */
export function ownMessage(error: unknown, label: string): string {
  const message = String((error as Error)?.message ?? error);
  const lines = [
    ...new Set(
      message
        .split('\n')
        .map((line) => line.replace(`${label}: `, '').trim())
        .filter((line) => line.length > 0),
    ),
  ];
  return lines.slice(0, 3).join('; ') || 'the decoder gave no reason';
}

/** IMAGE_TOO_LARGE or IMAGE_UNSUPPORTED when the reason says so; undefined for damage. */
export function classifyDecodeFailure(reason: string, file: string): AnytagError | undefined {
  if (/pixel limit/i.test(reason)) {
    return new AnytagError('IMAGE_TOO_LARGE', `${file} has more than ${MAX_INPUT_PIXELS} pixels`, {
      file,
    });
  }
  for (const { pattern, reason: say } of DECODER_LIMITS) {
    const match = pattern.exec(reason);
    if (match) return new AnytagError('IMAGE_UNSUPPORTED', `${file}: ${say(match)}`, { file });
  }
  if (/unsupported image format/i.test(reason)) {
    return new AnytagError(
      'IMAGE_UNSUPPORTED',
      `${file} is not an image format this build can decode`,
      {
        file,
      },
    );
  }
  return undefined;
}

/** What the system said about a failed read, in words ("it does not exist", not "ENOENT"). */
const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'it does not exist',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'the disk reported a read error',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
};

function readFailure(error: NodeJS.ErrnoException): string {
  return (error.code && READ_FAILURES[error.code]) ?? error.message;
}

/** Any failure while decoding `file` as an AnytagError (IO, IMAGE_*). */
export function toImageError(error: unknown, file: string): AnytagError {
  if (error instanceof AnytagError) {
    if (!error.code.startsWith('IMAGE_') || error.message.includes(file)) return error;
    return new AnytagError(error.code, `${file}: ${error.message}`, { file, ...error.details });
  }
  if (isNodeError(error)) {
    return new AnytagError('IO', `Cannot read ${file}: ${readFailure(error)}`, {
      file,
      errno: error.code,
    });
  }
  const reason = ownMessage(error, file);
  return (
    classifyDecodeFailure(reason, file) ??
    new AnytagError('IMAGE_UNREADABLE', `${file} cannot be decoded: ${reason}`, { file })
  );
}
