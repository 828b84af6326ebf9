/**
 * Keeps every photo's tags in step with the vocabulary, from stored embeddings only: the model
 * never runs here. A label change costs one pass of the search index for that label; newly
 * indexed photos are tagged one by one; when the library has grown or shrunk by a quarter since
 * the last calibration, every threshold is recalibrated and every photo re-tagged.
 */
import { SerialQueue } from '../serial-queue.js';
import type { Catalogue } from '../store/catalogue.js';
import { tagSchema, type PhotoRecord, type Tag } from '../store/catalogue-schema.js';
import { calibrate, labelStats, type Calibration } from '../vocab/thresholds.js';
import type { LabelEntry, ScoringLabel, Vocabulary } from '../vocab/vocabulary.js';
import { DeferredCalibration, type HeldPhoto } from './deferred-calibration.js';
import { withKeywordVotes } from './keyword-votes.js';
import {
  CALIBRATION_SAMPLE,
  calibrateLabels,
  labelPasses,
  sampleIndex,
  storeCalibration,
  type LabelPass,
} from './label-calibration.js';
import { bestOf, type SearchIndex } from './search-index.js';
import {
  arrangeTags,
  materialise,
  packLabels,
  tagCandidates,
  type LabelScore,
  type PackedLabels,
  type TagOrder,
} from './tagger.js';

/** Recalibrate when the library's size moved this share since the last calibration. */
const RECALIBRATE_SHARE = 0.25;

export interface CalibrationReport {
  prior: number;
  photos: number;
  sampled: number;
  labels: number;
  seconds: number;
}

export interface TaggingOptions {
  /**
   * Defer full calibrations while photos keep coming (a bulk `anytag index`): each one due is
   * superseded by the next one due, and only the last is done, when the photos stop or any
   * other tagging job comes (deferred-calibration.ts). Thresholds and tags come out identical to
   * calibrating eagerly; in between, new photos wait for their tags.
   */
  deferCalibration?: boolean;
}

export type { LabelPass } from './label-calibration.js';

export class Tagging {
  private readonly queue = new SerialQueue();
  /** Indexed photos waiting to be tagged, with the model's matrix when it came along. */
  private pending: { photo: PhotoRecord; matrix?: Float32Array }[] = [];
  /** The active labels packed for tagCandidates, kept while the vocabulary's version holds. */
  private packed: { version: number; labels: PackedLabels } | undefined;

  /** The full calibration owed (deferCalibration), and the photos tagged after it. */
  private readonly deferred: DeferredCalibration | undefined;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly index: SearchIndex,
    private readonly vocabulary: Vocabulary,
    options: TaggingOptions = {},
  ) {
    if (options.deferCalibration) {
      this.deferred = new DeferredCalibration(index, (owed, held) => this.catchUp(owed, held));
    }
  }

  /**
   * Queues a newly indexed photo for tagging (batched; see settled()). With `matrix` (the
   * model's float32 output in hand) its tags are scored from it, not from the index's int8 copy.
   */
  photoIndexed(photo: PhotoRecord, matrix?: Float32Array): void {
    if (photo.state !== 'indexed' || !this.index.has(photo.id)) return;
    this.pending.push({ photo, ...(matrix && { matrix }) });
    // Not serial(): a deferred calibration stays deferred while photos keep coming.
    if (this.pending.length === 1) void this.queue.run(() => this.tagPending());
  }

  /** Resolves once every queued tagging job has finished (a deferred calibration included). */
  async settled(): Promise<void> {
    const deferred = this.deferred;
    do {
      // The catch-up's failure (a store that cannot write) is this caller's error.
      const catchUp = deferred && this.queue.run(() => deferred.catchUp());
      await this.queue.settled();
      await catchUp;
    } while (deferred?.owes);
  }

  /**
   * Runs `job` after every earlier job: tagging changes never interleave. A deferred calibration
   * is done first: every job sees the tags and thresholds the eager order would have left.
   */
  serial<T>(job: () => Promise<T> | T): Promise<T> {
    return this.queue.run(() => {
      this.deferred?.catchUp();
      return job();
    });
  }

  /** Scores of one label (best of its vectors) for every photo, in index order. */
  async pass(label: ScoringLabel): Promise<LabelPass> {
    const parts = await this.index.score(
      label.vectors,
      label.members.map((m, i) => `${this.vocabulary.version}:${label.entry.key}#${i}:${m}`),
    );
    return { label, scores: bestOf(parts) };
  }

  /** Calibrates every active label on a sample of the library, then re-tags every photo. */
  async calibrateAll(): Promise<CalibrationReport> {
    const started = performance.now();
    const labels = this.vocabulary.active();
    const ids = this.index.ids;
    const sample = ids.length <= CALIBRATION_SAMPLE ? this.index : sampleIndex(this.index, ids);
    const version = this.index.changes;
    const all = await sample.score(labels.flatMap((l) => l.vectors));
    if (sample !== this.index) await sample.close();
    const { prior, passes } = calibrateLabels(this.vocabulary, labels, all, ids.length);
    // The passes just scored are the re-tag's own when they cover the whole library as it is
    // now (not a sample, nothing indexed or removed since): the same scores, not scored twice.
    const current = sample === this.index && this.index.changes === version;
    await this.retag(labels, { all: true, ...(current && { passes }) });
    return {
      prior,
      photos: ids.length,
      sampled: sample === this.index ? ids.length : CALIBRATION_SAMPLE,
      labels: labels.length,
      seconds: (performance.now() - started) / 1000,
    };
  }

  /**
   * calibrateAll as it would have run when the index held only its first `size` photos (as
   * they still are), synchronously; then the photos indexed after them are tagged as they
   * would have been then. Identical thresholds, tags and calibration summary (but for times).
   */
  private catchUp(size: number, held: readonly HeldPhoto[]): void {
    const labels = this.vocabulary.active();
    const ids = this.index.ids.slice(0, size);
    const vectors = labels.flatMap((l) => l.vectors);
    let passes: LabelPass[];
    if (size <= CALIBRATION_SAMPLE) {
      passes = calibrateLabels(
        this.vocabulary,
        labels,
        this.index.scorePrefix(vectors, size),
        size,
      ).passes;
    } else {
      const sample = sampleIndex(this.index, ids);
      calibrateLabels(this.vocabulary, labels, sample.scorePrefix(vectors, sample.size), size);
      void sample.close();
      passes = labelPasses(labels, this.index.scorePrefix(vectors, size));
    }
    this.retagSync(labels, passes, ids, { all: true });
    this.tagPhotos(held.filter((p) => this.index.has(p.photo.id)));
  }

  /** Calibrates one label against the pack's prior from its scores over the whole library. */
  calibrateFrom(pass: LabelPass): Calibration | undefined {
    const prior = this.labelPrior(pass.label);
    if (prior === undefined || pass.scores.scores.length === 0) return undefined;
    const result = calibrate(labelStats(pass.scores.scores), prior);
    storeCalibration(this.vocabulary, pass.label.entry, result);
    return result;
  }

  /**
   * Re-tags every photo for `labels` from one index pass each: their old tags go, the passing
   * (or thumbs-up) ones come back. With `all`, every other tag goes too (a full re-tag).
   * Only photos whose tags changed are written (a label edit costs O(photos it changes) in the
   * store, not a rewrite of every photo): a tag that comes back with the same label, score, row
   * and vote keeps its old record, `at` included. Returns how many photos' tags changed.
   */
  async retag(
    labels: readonly ScoringLabel[],
    options: { all?: boolean; passes?: LabelPass[] } = {},
  ): Promise<number> {
    const passes = options.passes ?? (await this.passes(labels));
    return this.retagSync(labels, passes, this.index.ids, options);
  }

  /** retag() from passes over `ids` (the index's photos, or its first ones). */
  private retagSync(
    labels: readonly ScoringLabel[],
    passes: readonly LabelPass[],
    ids: readonly string[],
    options: { all?: boolean },
  ): number {
    const fresh: LabelScore[][] = ids.map(() => []);
    const votes = this.votes(this.catalogue.photos());
    for (const { label, scores } of passes) {
      const threshold = this.vocabulary.threshold(label.entry.key)?.value ?? Infinity;
      for (let i = 0; i < ids.length; i++) {
        const vote = votes.get(ids[i]!)?.get(label.entry.key);
        const score = scores.scores[i]!;
        if (score >= threshold || vote) {
          fresh[i]!.push({ label, score, row: scores.rows[i]!, threshold, ...(vote && { vote }) });
        }
      }
    }
    const keys = new Set(labels.map((l) => l.entry.key));
    const at = new Date().toISOString();
    const order = this.tagOrder();
    let changed = 0;
    ids.forEach((id, i) => {
      const photo = this.catalogue.photoById(id);
      if (!photo) return;
      // Neither tagged with these labels before nor now: its tags stay as they are.
      const untouched = (t: Tag): boolean => t.key !== undefined && !keys.has(t.key);
      if (!options.all && fresh[i]!.length === 0 && photo.tags.every(untouched)) return;
      const kept = options.all ? [] : photo.tags.filter((t) => t.key && !keys.has(t.key));
      const mine = materialise(fresh[i]!, this.vocabulary.packId, at, order);
      const tags = kept.length ? arrangeTags([...kept, ...mine], order) : mine;
      if (!sameTags(photo.tags, tags)) changed++;
      const packId = this.vocabulary.packId;
      // A full re-tag records the pack that tagged the photo; unchanged tags of the same pack
      // keep their record (and its time).
      const newPack = options.all === true && photo.taggedBy?.pack !== packId;
      if (newPack || !sameTagRecords(photo.tags, tags)) {
        this.catalogue.setTags(photo, tags, options.all ? { pack: packId, at } : undefined);
      }
    });
    return changed;
  }

  /** Drops one label's tags from every photo (a label removed or hidden). */
  untag(key: string): number {
    let changed = 0;
    for (const photo of this.catalogue.photos()) {
      const tags = photo.tags.filter((t) => t.key !== key);
      if (tags.length === photo.tags.length) continue;
      changed++;
      this.catalogue.setTags(photo, tags);
    }
    return changed;
  }

  /**
   * Tags photos one by one with the current thresholds, from the matrix given with each (the
   * model's output) or else the index's copy.
   */
  tagPhotos(photos: readonly { photo: PhotoRecord; matrix?: Float32Array }[]): void {
    const packed = this.packedLabels();
    const { labels } = packed;
    const votes = this.votes(photos.map((p) => p.photo));
    const { k, d } = this.index;
    const at = new Date().toISOString();
    const thresholds = labels.map((l) => this.vocabulary.threshold(l.entry.key)?.value ?? Infinity);
    const order = this.tagOrder();
    for (const { photo, matrix: given } of photos) {
      const matrix = given ?? this.index.matrix(photo.id);
      if (!matrix) continue;
      const scores = tagCandidates(matrix, k, d, packed, thresholds, votes.get(photo.id));
      this.catalogue.setTags(photo, materialise(scores, this.vocabulary.packId, at, order), {
        pack: this.vocabulary.packId,
        at,
      });
    }
  }

  /** The active labels, packed once per vocabulary version (not once per photo tagged). */
  private packedLabels(): PackedLabels {
    const { version } = this.vocabulary;
    if (this.packed?.version !== version) {
      this.packed = { version, labels: packLabels(this.vocabulary.active(), this.index.d) };
    }
    return this.packed.labels;
  }

  /** How tags are ordered and folded: the vocabulary's specificity and broader lists. */
  tagOrder(): TagOrder {
    // Looked up once per label for the pass this order serves (find() normalises the key).
    const entries = new Map<string, LabelEntry | undefined>();
    const entry = (key: string): LabelEntry | undefined => {
      if (!entries.has(key)) entries.set(key, this.vocabulary.find(key));
      return entries.get(key);
    };
    return {
      specificity: (key) => entry(key)?.specificity ?? 0,
      broader: (key) => entry(key)?.broader ?? [],
    };
  }

  /**
   * Votes cast in Anytag, plus the keywords of `photos` (those being tagged) as thumbs-up
   * (keyword-votes.ts).
   */
  private votes(photos: readonly PhotoRecord[]): Map<string, Map<string, 'up' | 'down'>> {
    return withKeywordVotes(
      this.vocabulary.votesByPhoto(),
      photos,
      (keyword) => this.vocabulary.find(keyword)?.key,
    );
  }

  /** τ₀ scaled by how high the label's scores can reach (Vocabulary.scaledPrior). */
  labelPrior(label: ScoringLabel): number | undefined {
    return this.vocabulary.scaledPrior(label.vectors, label.entry.kind === 'seen');
  }

  private async tagPending(): Promise<void> {
    const photos = this.pending.splice(0).filter((p) => this.index.has(p.photo.id));
    if (photos.length === 0) return;
    // The size of the last calibration, done or owed.
    const last = this.deferred?.owedSize ?? this.vocabulary.calibrationInfo()?.photos;
    const size = this.index.size;
    if (last === undefined || Math.abs(size - last) > RECALIBRATE_SHARE * last) {
      if (this.deferred) this.deferred.owe();
      else await this.calibrateAll();
    } else if (this.deferred?.owes) this.deferred.hold(photos);
    else this.tagPhotos(photos);
  }

  private async passes(labels: readonly ScoringLabel[]): Promise<LabelPass[]> {
    return labelPasses(labels, await this.index.score(labels.flatMap((l) => l.vectors)));
  }
}

function sameTags(a: readonly Tag[], b: readonly Tag[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (t, i) => t.key === b[i]!.key && t.vote === b[i]!.vote && t.impliedBy === b[i]!.impliedBy,
    )
  );
}

/** Every field of a tag record but when it was scored (`at`). */
const TAG_FIELDS = Object.keys(tagSchema.shape).filter((f) => f !== 'at') as (keyof Tag)[];

/** The same tags in the same order, field for field but for when they were scored (`at`). */
function sameTagRecords(a: readonly Tag[], b: readonly Tag[]): boolean {
  return a.length === b.length && a.every((t, i) => TAG_FIELDS.every((f) => t[f] === b[i]![f]));
}
