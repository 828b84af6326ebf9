/**
 * The model manager's part of the API: list, import, download, use and remove packs, with
 * packProgress events (throttled: phase changes always, byte counts at most every 200 ms).
 * api.ts spreads these into its handler table.
 */
import type { ApiEvents, ApiParsedInput, ApiResults, PackSummary } from '../api-contract.js';
import type { Engine } from '../engine.js';
import type { PackProgress } from './pack-contract.js';
import { PackManager, type InstalledPack, type PackManagerOptions } from './pack-manager.js';

type Method = 'listPacks' | 'importPack' | 'downloadOfficialModel' | 'usePack' | 'removePack';
type Handlers = { [M in Method]: (input: ApiParsedInput<M>) => Promise<ApiResults[M]> };

const PROGRESS_EVERY_MS = 200;

export function packHandlers(
  engine: Engine,
  emit: (event: 'packProgress', payload: ApiEvents['packProgress']) => void,
  options: PackManagerOptions = {},
): Handlers {
  const manager = new PackManager(engine, options);
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
  return {
    listPacks: async () => ({ packs: (await manager.list()).map(packSummaryOf) }),
    importPack: ({ path, id, name }) =>
      manager.import(path, { ...(id && { id }), ...(name && { name }), onProgress: progress() }),
    downloadOfficialModel: ({ url }) =>
      manager.downloadOfficial({ ...(url && { url }), onProgress: progress() }),
    usePack: ({ id }) => manager.use(id),
    removePack: async ({ id }) => {
      await manager.remove(id);
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
