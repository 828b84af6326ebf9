/**
 * `status`: the data folder, the active pack, the execution provider in use, photo counts and the
 * library folders. It degrades rather than fails when the active pack cannot be used: `pack` is
 * then null and `packProblem` says which pack and why — not found (none installed, or the chosen
 * one missing: also in `notices`, with the folders looked in) or damaged (a file cut short or
 * changed, so its sha256 no longer matches pack.json) — while the counts and folders still
 * answer. Each front end adds its own way out (the CLI's hint, the app's Settings).
 */
import type { ActivePack } from '../active-pack.js';
import { AnytagError } from '../errors.js';
import type { Catalogue } from '../store/catalogue.js';
import type { Handlers } from './api.js';
import type { PackProblem, PackSummary } from './contract.js';

export interface StatusSource {
  readonly catalogue: Catalogue;
  readonly options: { readonly dataDir: string };
  readonly provider: string | undefined;
  /** What the engine had to repair or set aside, in words. */
  readonly notices: readonly string[];
  /** The pack chosen (undefined: the first found). */
  readonly selectedPackId: string | undefined;
  activePack(): Promise<ActivePack>;
}

/** Why the active pack cannot be used, for these codes; anything else fails the call. */
const PACK_PROBLEMS: ReadonlySet<string> = new Set(['PACK_NOT_FOUND', 'PACK_INVALID']);

export function statusHandlers(engine: StatusSource): Handlers<'status'> {
  return {
    status: async () => {
      const counts = engine.catalogue.photoCountsByState();
      let pack: PackSummary | null = null;
      let packProblem: PackProblem | undefined;
      try {
        const { pack: active } = await engine.activePack();
        // Model files are hash-checked when a session reads them (model/pack.ts
        // modelCheckedOnUse); status is where a user asks whether the pack is sound, so it checks
        // them all here (remembered by size, mtime and inode: free until a file changes).
        const { file, byProvider, verify } = active.modelFiles;
        for (const model of new Set([file, ...Object.values(byProvider)])) await verify?.(model);
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
        if (!(error instanceof AnytagError && PACK_PROBLEMS.has(error.code))) throw error;
        packProblem = {
          id: engine.selectedPackId ?? null,
          code: error.code as PackProblem['code'],
          message: error.message,
        };
      }
      // The active pack missing (removed, or in a --packs folder not given this time): a notice.
      const missing = packProblem?.code === 'PACK_NOT_FOUND' ? [packProblem.message] : [];
      const notices = [...engine.notices, ...missing];
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
        ...(packProblem && { packProblem }),
        ...(notices.length > 0 && { notices }),
      };
    },
  };
}
