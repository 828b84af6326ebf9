/**
 * Downloads a checkpoint over HTTP(S) with resume: bytes land in `<dest>.part`, a later call
 * continues from its size with a Range request, and the file is renamed to `dest` only once its
 * size and sha256 match the pins. A server that ignores Range (200) restarts the file cleanly.
 * Aborting `signal` (the user's Cancel) deletes the .part and fails with CANCELLED: a cancelled
 * download leaves nothing behind, unlike a broken one (kept to resume).
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import { AnytagError } from '../../errors.js';
import { sha256File } from '../../store/file-hash.js';

/** The authors' NUS-WIDE checkpoint (ZS_SDL README). Pin bytes/sha256 once fetched and checked. */
export const OFFICIAL_SDL_CHECKPOINT = {
  url: 'https://miil-public-eu.oss-eu-central-1.aliyuncs.com/model-zoo/ZSL/NUS_mtresnet_224.pth',
  fileName: 'NUS_mtresnet_224.pth',
  bytes: undefined as number | undefined,
  sha256: undefined as string | undefined,
};

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number | undefined;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Pins: a download that differs is deleted and refused. */
  bytes?: number;
  sha256?: string;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  file: string;
  bytes: number;
  sha256: string;
  /** Bytes that were already on disk from an earlier, interrupted download. */
  resumedFromBytes: number;
}

export async function downloadCheckpoint(options: DownloadOptions): Promise<DownloadResult> {
  try {
    return await downloadOnce(options);
  } catch (error) {
    if (!options.signal?.aborted) throw error;
    await rm(`${options.dest}.part`, { force: true });
    throw downloadCancelled(options.url);
  }
}

/** CANCELLED: the user stopped the download of `url`; nothing of it was kept. */
export function downloadCancelled(url: string): AnytagError {
  return new AnytagError('CANCELLED', `Download of ${url}: cancelled; nothing was kept`, {
    url,
    reason: 'cancelled',
  });
}

/**
 * The size of the file at `url` in bytes, from a HEAD request (null when the server does not
 * say, or cannot be reached within `timeoutMs`): what a download will cost, said before it starts.
 */
export async function remoteSize(url: string, timeoutMs = 10_000): Promise<number | null> {
  try {
    const response = await fetch(url, {
      method: 'HEAD',
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const length = Number(response.headers.get('content-length'));
    return response.ok && Number.isFinite(length) && length > 0 ? length : null;
  } catch {
    return null;
  }
}

async function downloadOnce(options: DownloadOptions): Promise<DownloadResult> {
  const { url, dest } = options;
  const partial = `${dest}.part`;
  let have = await sizeOf(partial);
  if (options.bytes !== undefined && have > options.bytes) {
    await rm(partial, { force: true });
    have = 0;
  }
  const response = await request(url, have, options.signal);
  if (response.status === 416 && have > 0) {
    // Range past the end: the .part may already be whole; the checks below decide.
    await response.body?.cancel();
    return finish(options, partial, have);
  }
  let resumedFrom = 0;
  if (response.status === 206 && have > 0) {
    const start = Number(/bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1]);
    if (start !== have) {
      throw fail('IO', url, `the server resumed at byte ${start}, not ${have}`, { status: 206 });
    }
    resumedFrom = have;
  } else if (response.status !== 200) {
    await response.body?.cancel();
    throw fail('IO', url, `the server answered HTTP ${response.status}`, {
      status: response.status,
    });
  }
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? resumedFrom + length : options.bytes;
  const fh = await open(partial, resumedFrom > 0 ? 'a' : 'w');
  let received = resumedFrom;
  try {
    if (!response.body) throw fail('IO', url, 'the response has no body');
    for await (const chunk of response.body) {
      await fh.write(chunk);
      received += chunk.length;
      options.onProgress?.({ receivedBytes: received, totalBytes: total });
    }
  } catch (error) {
    if (error instanceof AnytagError) throw error;
    throw fail(
      'IO',
      url,
      `the download stopped at byte ${received} (${(error as Error).message}); run it again to resume`,
      {
        reason: 'interrupted',
        receivedBytes: received,
      },
    );
  } finally {
    await fh.close();
  }
  const result = await finish(options, partial, received);
  return { ...result, resumedFromBytes: resumedFrom };
}

async function request(
  url: string,
  from: number,
  signal: AbortSignal | undefined,
): Promise<Response> {
  try {
    return await fetch(url, {
      headers: from > 0 ? { range: `bytes=${from}-` } : {},
      signal: signal ?? null,
      redirect: 'follow',
    });
  } catch (error) {
    throw fail('IO', url, `cannot be reached (${(error as Error).message})`, {
      reason: 'unreachable',
    });
  }
}

/** Size and hash checks on the finished .part, then the rename into place. */
async function finish(
  options: DownloadOptions,
  partial: string,
  size: number,
): Promise<DownloadResult> {
  const actualSize = await sizeOf(partial);
  if (actualSize !== size) {
    throw fail('IO', options.url, `${partial} is ${actualSize} bytes, ${size} were written`);
  }
  if (options.bytes !== undefined && size !== options.bytes) {
    if (size > options.bytes) await rm(partial, { force: true });
    throw fail('IO', options.url, `got ${size} bytes, expected ${options.bytes}`, {
      reason: 'size-mismatch',
      expected: options.bytes,
      actual: size,
    });
  }
  const sha256 = await sha256File(partial);
  if (options.sha256 !== undefined && sha256 !== options.sha256.toLowerCase()) {
    await rm(partial, { force: true });
    throw fail(
      'IO',
      options.url,
      `sha256 is ${sha256}, expected ${options.sha256}; the download was deleted`,
      {
        reason: 'hash-mismatch',
        expected: options.sha256,
        actual: sha256,
      },
    );
  }
  await rename(partial, options.dest);
  return { file: options.dest, bytes: size, sha256, resumedFromBytes: 0 };
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

function fail(
  code: 'IO',
  url: string,
  message: string,
  details: Record<string, unknown> = {},
): AnytagError {
  return new AnytagError(code, `Download of ${url}: ${message}`, { url, ...details });
}
