/**
 * A full calibration owed, for a bulk index run. Eagerly, tagging recalibrates every label and
 * re-tags every photo each time the library has grown by a quarter (tagging.ts): 17 times on
 * the way to 120 photos, each over the whole library — and every one but the last is undone by
 * the next, which sets every threshold and re-tags every photo again. Only the last one, and
 * the photos tagged after it with its thresholds, show at the end.
 *
 * So a bulk run only notes the calibration due (at `owedSize` photos) and keeps the photos
 * indexed after it (with their model matrices, as eager tagging scored them); the next one due
 * replaces both. The owed one is done when the photos stop or another tagging job comes: on
 * the first `owedSize` photos in index order, which are what the index held then as long as
 * nothing was replaced or removed since — the index calls beforeRewrite before it does either,
 * and the owed calibration is done right then, on the index as it still is. The result is the
 * eager one: the same thresholds, tags and calibration summary (but for when they were made).
 */
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { SearchIndex } from './search-index.js';

/** A photo indexed after the owed calibration, waiting for its tags. */
export interface HeldPhoto {
  photo: PhotoRecord;
  matrix?: Float32Array;
}

/**
 * Photos held at most before the owed calibration is done anyway (their matrices are held: 15 KB
 * each for the starter pack): eager tagging would have tagged them by now too.
 */
const MAX_HELD = 4096;

export class DeferredCalibration {
  private owed: { size: number; changes: number } | undefined;
  private held: HeldPhoto[] = [];

  constructor(
    private readonly index: SearchIndex,
    /** Does the calibration at `size` photos, then tags `held` (synchronously). */
    private readonly run: (size: number, held: readonly HeldPhoto[]) => void,
  ) {
    index.beforeRewrite = () => this.catchUp();
  }

  get owes(): boolean {
    return this.owed !== undefined;
  }

  /** The library size the owed calibration is for, if one is owed. */
  get owedSize(): number | undefined {
    return this.owed?.size;
  }

  /** A full calibration is due now, at the index's size: it replaces the one owed before. */
  owe(): void {
    this.owed = { size: this.index.size, changes: this.index.changes };
    this.held = [];
  }

  /** Photos indexed after the owed calibration, to be tagged with its thresholds. */
  hold(photos: readonly HeldPhoto[]): void {
    this.held.push(...photos);
    if (this.held.length >= MAX_HELD) this.catchUp();
  }

  /** Does the owed calibration (if any) now. */
  catchUp(): void {
    const owed = this.owed;
    if (!owed) return;
    const held = this.held;
    this.owed = undefined;
    this.held = [];
    // Only appends since (each set of a new photo adds one change and one photo): the first
    // owed.size photos are the index as it was when the calibration fell due. Were it not so
    // (a rewrite that did not call beforeRewrite), the safety net: calibrate the index as it is.
    const appendsOnly = this.index.changes - owed.changes === this.index.size - owed.size;
    if (appendsOnly) this.run(owed.size, held);
    else this.run(this.index.size, []);
  }
}
