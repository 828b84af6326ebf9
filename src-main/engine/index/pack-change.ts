/**
 * Acting on a pack that changed since a library's embeddings and tags were recorded
 * (pack-fingerprint.ts): saying so, bringing tags up to date, and recording the new fingerprint
 * once what it describes is on disk.
 */
import type { Catalogue } from '../store/catalogue.js';
import type { FingerprintCheck } from './pack-fingerprint.js';
import type { SearchIndex } from './search-index.js';
import type { Tagging } from './tagging.js';

export interface PackChangeTarget {
  packId: string;
  catalogue: Catalogue;
  searchIndex: SearchIndex;
  tagging: Tagging;
  /** Told, in words, what changed and what is done about it (the engine's notices). */
  notify: (message: string) => void;
}

/**
 * - embeddings set aside (PackEmbeddings.open did, with its own message): the fingerprint is
 *   recorded once the catalogue saying so is saved;
 * - labels (or label vectors, word table) changed: every photo is re-tagged from its stored
 *   matrix in the background, on the tagging queue (thresholds recalibrated; the model does not
 *   run), then the fingerprint is recorded — a crash before that re-tags again next time;
 * - nothing recorded yet: recorded now;
 * - read-only: only says what the next writer will do.
 * Resolves once the fingerprint is recorded, or (re-tag) once the re-tag is queued.
 */
export async function applyPackChange(
  check: FingerprintCheck,
  target: PackChangeTarget,
): Promise<void> {
  const { packId, catalogue, tagging, searchIndex, notify } = target;
  if (catalogue.readOnly) {
    if (check.changed.length === 0) return;
    const was = check.reembed ? 'embedded' : 'tagged';
    const what = check.reembed ? 'its photos are re-embedded' : 'their tags are recomputed';
    notify(
      `Pack ${packId} changed since its photos were ${was} (${check.described}): ${what} when Anytag next opens this data folder for writing`,
    );
    return;
  }
  if (!check.retag) {
    if (!check.reembed && !check.firstRecord) return;
    // Not fatal (a full disk): the store still works, and the check runs again at the next start.
    await (check.reembed ? catalogue.flush() : Promise.resolve())
      .then(() => check.record())
      .catch((error: unknown) => {
        notify(
          `Could not record what pack ${packId}'s embeddings were made with (${(error as Error).message}); it is checked again at the next start`,
        );
      });
    return;
  }
  notify(
    `Pack ${packId} changed since its photos were tagged (${check.described}): their tags are recomputed from the stored embeddings (the model does not run again)`,
  );
  void tagging
    .serial(async () => {
      if (searchIndex.size > 0) await tagging.calibrateAll();
      await catalogue.flush();
      await check.record();
    })
    .catch((error: unknown) => {
      notify(
        `Re-tagging for pack ${packId} failed (it is tried again at the next start): ${(error as Error).message}`,
      );
    });
}
