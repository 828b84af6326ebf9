/**
 * The model manager's part of the API: list, import, download, use and remove packs, with
 * packProgress events (throttled: phase changes always, byte counts at most every 200 ms).
 */
import type { Engine } from '../engine.js';
import { AnytagError } from '../errors.js';
import { officialDownloadSize } from '../model/official-download.js';
import type { InstalledPack, PackInstaller } from '../model/pack-installer.js';
import { removePack, usePack } from '../pack-switch.js';
import type { PackProgress } from '../model/pack-results.js';
import type { Emit, Handlers } from './api.js';
import type { PackSummary } from './contract.js';

type Method =
  | 'listPacks'
  | 'importPack'
  | 'downloadOfficialModel'
  | 'officialModelDownload'
  | 'cancelPackDownload'
  | 'usePack'
  | 'removePack';

/** Byte-count progress events are sent at most this often (phase changes always go out). */
const PROGRESS_EVERY_MS = 200;

/** `engine` is needed only to switch packs (usePack, removePack: ../pack-switch.ts). */
export function packHandlers(
  installer: PackInstaller,
  engine: Engine,
  emit: Emit,
): Handlers<Method> {
  const progress = (): ((p: PackProgress) => void) => {
    let lastPhase = '';
    let lastAt = 0;
    return (p) => {
      const now = performance.now();
      if (p.phase === lastPhase && now - lastAt < PROGRESS_EVERY_MS) return;
      lastPhase = p.phase;
      lastAt = now;
      emit('packProgress', p);
    };
  };
  /** The download in flight (one at a time), for cancelPackDownload. */
  let downloading: AbortController | null = null;
  return {
    listPacks: async () => ({ packs: (await installer.list()).map(packSummaryOf) }),
    importPack: ({ path, id, name }) =>
      installer.import(path, { ...(id && { id }), ...(name && { name }), onProgress: progress() }),
    downloadOfficialModel: async ({ url }) => {
      if (downloading) {
        throw new AnytagError('INVALID_INPUT', 'The official model is already being downloaded', {
          reason: 'already-downloading',
        });
      }
      const controller = new AbortController();
      downloading = controller;
      try {
        return await installer.downloadOfficial({
          ...(url && { url }),
          onProgress: progress(),
          signal: controller.signal,
        });
      } finally {
        downloading = null;
      }
    },
    officialModelDownload: ({ url }) => officialDownloadSize(engine.options.dataDir, url),
    cancelPackDownload: async () => {
      const running = downloading;
      running?.abort();
      return { cancelled: running !== null };
    },
    usePack: ({ id }) => usePack(engine, id),
    removePack: async ({ id }) => {
      await removePack(engine, installer, id);
      return { removed: id };
    },
  };
}

function packSummaryOf(entry: InstalledPack): PackSummary {
  const { bundled, active } = entry;
  if (!entry.manifest) {
    return { id: '', name: '', dir: entry.dir, k: 0, d: 0, problem: entry.problem ?? 'invalid' };
  }
  const { id, name, output } = entry.manifest;
  return { id, name, dir: entry.dir, k: output.k, d: output.d, bundled, active };
}
