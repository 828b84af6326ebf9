/**
 * Fetching the authors' SDL checkpoint into <dataDir>/downloads: resumable (downloadCheckpoint
 * keeps a .part), with progress. Its size and sha256 are not pinned yet (OFFICIAL_SDL_CHECKPOINT):
 * until they are, the first verified download's hash is what the installed pack records.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  downloadCheckpoint,
  OFFICIAL_SDL_CHECKPOINT,
  remoteSize,
} from './convert/download-checkpoint.js';
import { sha256File } from '../store/file-hash.js';
import type { PackProgress } from './pack-results.js';

export interface FetchOptions {
  /** Another address for the same file (a mirror, a test server). */
  url?: string;
  onProgress?: (p: PackProgress) => void;
  signal?: AbortSignal;
}

export interface FetchedCheckpoint {
  file: string;
  /** For pack.json `source`: where it came from, its size and sha256. */
  source: string;
  /** For build-info.json. */
  origin: { url: string; bytes: number; sha256: string; pinned: boolean; resumedFromBytes: number };
}

export async function fetchOfficialCheckpoint(
  dataDir: string,
  options: FetchOptions = {},
): Promise<FetchedCheckpoint> {
  const pins = OFFICIAL_SDL_CHECKPOINT;
  const url = options.url ?? pins.url;
  const file = path.join(dataDir, 'downloads', pins.fileName);
  await mkdir(path.dirname(file), { recursive: true });
  // A finished download whose conversion failed earlier is converted again, not fetched again.
  const got =
    (await finishedDownload(file)) ??
    (await downloadCheckpoint({
      url,
      dest: file,
      bytes: pins.bytes,
      sha256: pins.sha256,
      ...(options.signal && { signal: options.signal }),
      onProgress: (p) =>
        options.onProgress?.({
          operation: 'download',
          phase: 'downloading',
          receivedBytes: p.receivedBytes,
          totalBytes: p.totalBytes ?? null,
        }),
    }));
  const pinned = pins.sha256 !== undefined;
  const how = pinned ? 'as pinned' : 'recorded at the first verified download';
  return {
    file,
    source: `${url} (sha256 ${got.sha256}, ${got.bytes} bytes, ${how}), converted by Anytag`,
    origin: {
      url,
      bytes: got.bytes,
      sha256: got.sha256,
      pinned,
      resumedFromBytes: got.resumedFromBytes,
    },
  };
}

/** What downloading the official checkpoint costs, said before it starts (officialModelDownload). */
export interface OfficialDownloadSize {
  url: string;
  /** The whole file in bytes (pinned, else the server's answer to HEAD); null: unknown. */
  totalBytes: number | null;
  /** Bytes already here from an earlier, broken download (resumed, not fetched again). */
  downloadedBytes: number;
}

export async function officialDownloadSize(
  dataDir: string,
  url: string = OFFICIAL_SDL_CHECKPOINT.url,
): Promise<OfficialDownloadSize> {
  const file = path.join(dataDir, 'downloads', OFFICIAL_SDL_CHECKPOINT.fileName);
  const sizeOf = (f: string): Promise<number> =>
    stat(f).then(
      (s) => s.size,
      () => 0,
    );
  const downloadedBytes = (await sizeOf(file)) || (await sizeOf(`${file}.part`));
  const totalBytes = OFFICIAL_SDL_CHECKPOINT.bytes ?? (await remoteSize(url));
  return { url, totalBytes, downloadedBytes };
}

/** The checkpoint already downloaded in full, if it matches whatever is pinned. */
async function finishedDownload(
  file: string,
): Promise<{ bytes: number; sha256: string; resumedFromBytes: number } | undefined> {
  const size = await stat(file).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) return undefined;
  const sha256 = await sha256File(file);
  const { bytes, sha256: pinnedHash } = OFFICIAL_SDL_CHECKPOINT;
  if ((pinnedHash ?? sha256) === sha256 && (bytes ?? size) === size) {
    return { bytes: size, sha256, resumedFromBytes: 0 };
  }
  await rm(file, { force: true });
  return undefined;
}
