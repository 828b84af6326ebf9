/**
 * `status`: the data folder, the active pack (null when it is not found: none installed, or the
 * chosen one missing, said in `notices` with the folders looked in), the execution provider in
 * use, photo counts and the library folders.
 */
import type { ActivePack } from '../engine.js';
import { AnytagError } from '../errors.js';
import type { Catalogue } from '../store/catalogue.js';
import type { Handlers } from './api.js';
import type { PackSummary } from './contract.js';

export interface StatusSource {
  readonly catalogue: Catalogue;
  readonly options: { readonly dataDir: string };
  readonly provider: string | undefined;
  /** What the engine had to repair or set aside, in words. */
  readonly notices: readonly string[];
  activePack(): Promise<ActivePack>;
}

export function statusHandlers(engine: StatusSource): Handlers<'status'> {
  return {
    status: async () => {
      const counts = engine.catalogue.photoCountsByState();
      let pack: PackSummary | null = null;
      // The active pack missing (removed, or in a --packs folder not given this time): said.
      let missing: string | undefined;
      try {
        const { pack: active } = await engine.activePack();
        const { id, name, output } = active.manifest;
        pack = {
          id,
          name,
          dir: active.dir,
          k: output.k,
          d: output.d,
          labels: active.labels.length,
        };
      } catch (error) {
        if (!(error instanceof AnytagError && error.code === 'PACK_NOT_FOUND')) throw error;
        missing = error.message;
      }
      const notices = [...engine.notices, ...(missing ? [missing] : [])];
      return {
        dataDir: engine.options.dataDir,
        pack,
        provider: engine.provider ?? null,
        photos: {
          total: engine.catalogue.photoCount(),
          indexed: counts.get('indexed') ?? 0,
          failed: counts.get('error') ?? 0,
        },
        folders: engine.catalogue.folders().map((f) => f.path),
        ...(notices.length > 0 && { notices }),
      };
    },
  };
}
