/**
 * The vocabulary of the active pack: its seen labels (hideable, renamable, never lost) and the
 * user's labels (any word or phrase the word table knows), each with aliases combined into it,
 * a threshold and provenance. Reads and writes the catalogue's `vocabulary` section; every
 * change bumps `version` so compiled label lists and cached scores are rebuilt.
 *
 * This class is the face the engine uses; it keeps the built list and scoring cache, and hands
 * edits to label-edits.ts and thresholds and votes to threshold-records.ts.
 */
import { AnytagError } from '../errors.js';
import type { ModelPack } from '../model/pack.js';
import type { LabelEntry, ScoringLabel } from './label-entry.js';
import { LabelEdits, type RemoveOutcome } from './label-edits.js';
import { buildLabelList, spellingKey, suggestLabels } from './label-list.js';
import { normaliseLabel } from './label-text.js';
import type { TermVectors } from './term-vectors.js';
import { ThresholdRecords } from './threshold-records.js';
import type { ThresholdRecord, VocabularyData, VoteRecord } from '../store/vocabulary-schema.js';

export type { LabelEntry, Provenance, ScoringLabel } from './label-entry.js';

export class Vocabulary {
  private entries: LabelEntry[] = [];
  private byName = new Map<string, LabelEntry>();
  private bySpelling = new Map<string, LabelEntry>();
  private scoring = new Map<string, ScoringLabel>();
  private builtAt = -1;
  private readonly records: ThresholdRecords;
  private readonly edits: LabelEdits;
  /** Bumped by every change; caches compare it. */
  version = 0;

  constructor(
    private readonly data: VocabularyData,
    readonly pack: ModelPack,
    readonly terms: TermVectors,
    private readonly touched: () => void,
  ) {
    this.records = new ThresholdRecords(data, pack, touched);
    this.edits = new LabelEdits(data, {
      pack,
      terms,
      records: this.records,
      find: (text) => this.find(text),
      get: (text) => this.get(text),
      changed: () => this.changed(),
    });
  }

  get packId(): string {
    return this.pack.manifest.id;
  }

  /** Every label, seen first in pack order, then the user's in the order added. */
  labels(): readonly LabelEntry[] {
    this.build();
    return this.entries;
  }

  /** The label a text names (by key, shown name or alias), if any. */
  find(text: string): LabelEntry | undefined {
    this.build();
    return this.byName.get(normaliseLabel(text));
  }

  /** The label a text names in any spelling of its names ("hot-dog", "hotdog", "hot dog"). */
  findSpelling(text: string): LabelEntry | undefined {
    this.build();
    return this.find(text) ?? this.bySpelling.get(spellingKey(text));
  }

  /** Like find, but NOT_FOUND naming the text. */
  get(text: string): LabelEntry {
    const entry = this.find(text);
    if (!entry) {
      throw new AnytagError('NOT_FOUND', `No label "${normaliseLabel(text)}" in the vocabulary`, {
        label: text,
      });
    }
    return entry;
  }

  /**
   * Labels that tag photos: not hidden, and resolvable in this pack (a user label made with
   * another pack's word table may name a word this one lacks: it waits, it is not lost).
   */
  active(): ScoringLabel[] {
    return this.labels().flatMap((entry) => {
      if (entry.hidden) return [];
      try {
        return [this.scoringLabel(entry)];
      } catch (error) {
        if (error instanceof AnytagError && error.code === 'UNKNOWN_WORD') return [];
        throw error;
      }
    });
  }

  scoringLabel(entry: LabelEntry): ScoringLabel {
    this.build();
    let label = this.scoring.get(entry.key);
    if (!label) {
      const names = [entry.key, ...entry.aliases];
      label = {
        entry,
        vectors: names.map((name) => this.terms.resolve(name).vector),
        members: names,
      };
      this.scoring.set(entry.key, label);
    }
    return label;
  }

  /**
   * How high a label's scores can reach, relative to the pack's own labels: the best cosine
   * between its vectors and any seen label's (1 for a seen label). A free word sits at some
   * angle from every label the model was built for, so its scores run lower by about this
   * factor; calibration scales the prior by it (vocab/thresholds.ts).
   */
  /**
   * The prior a label or free word's threshold starts from: τ₀ (the pack-wide prior, by default
   * the calibrated one) for a seen label, τ₀ × scaleOf(vectors) for a user label or a word.
   * The one "prior × scale" rule; undefined before any calibration.
   */
  scaledPrior(
    vectors: readonly Float32Array[],
    seen: boolean,
    prior: number | undefined = this.calibrationInfo()?.prior,
  ): number | undefined {
    if (prior === undefined) return undefined;
    return seen ? prior : prior * this.scaleOf(vectors);
  }

  scaleOf(vectors: readonly Float32Array[]): number {
    const seen = this.pack.labelVectors;
    const d = this.pack.manifest.output.d;
    let best = 0;
    for (const w of vectors) {
      for (let at = 0; at < seen.length; at += d) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += w[j]! * seen[at + j]!;
        if (dot > best) best = dot;
      }
    }
    return Math.min(1, Math.max(0.1, best));
  }

  /** Adds a user label (word or phrase); UNKNOWN_WORD names words the table lacks. */
  add(text: string, aliases: readonly string[] = []): LabelEntry {
    return this.edits.add(text, aliases);
  }

  /** Removes an alias, or a user label with its thresholds and votes, or hides a seen label. */
  remove(text: string): RemoveOutcome {
    return this.edits.remove(text);
  }

  /** Renames: a seen label's shown name, or a user label's text (and so its vector). */
  rename(text: string, to: string): LabelEntry {
    return this.edits.rename(text, to);
  }

  setHidden(text: string, hidden: boolean): LabelEntry {
    return this.edits.setHidden(text, hidden);
  }

  /** Combines `alias` into `label` (label-edits.ts says how). */
  alias(text: string, aliasText: string): LabelEntry {
    return this.edits.alias(text, aliasText);
  }

  /** Takes an alias off a label; a seen label merged as that alias comes back. */
  unalias(text: string, aliasText: string): LabelEntry {
    return this.edits.unalias(text, aliasText);
  }

  threshold(key: string): ThresholdRecord | undefined {
    return this.records.threshold(key);
  }

  /** Sets (or, with null, clears) a manual threshold; votes still move it. */
  setManualThreshold(text: string, value: number | null): ThresholdRecord {
    const record = this.records.setManual(this.get(text), text, value);
    this.changed();
    return record;
  }

  /** Stores a calibration result, keeping a manual value and re-applying votes. */
  setCalibrated(key: string, calibrated: Omit<ThresholdRecord, 'value' | 'manual' | 'at'>): void {
    this.records.setCalibrated(key, calibrated);
  }

  setCalibrationInfo(prior: number, photos: number): void {
    this.records.setCalibrationInfo(prior, photos);
  }

  calibrationInfo(): VocabularyData['calibration'][string] | undefined {
    return this.records.calibrationInfo();
  }

  /** Records a thumbs-up or -down (replacing an earlier one) and moves the threshold. */
  vote(
    key: string,
    photo: string,
    vote: 'up' | 'down',
    score: number,
  ): ThresholdRecord | undefined {
    return this.records.vote(key, photo, vote, score);
  }

  /** Removes a photo's vote on a label. */
  clearVote(key: string, photo: string): ThresholdRecord | undefined {
    return this.records.clearVote(key, photo);
  }

  votesOf(key: string): VoteRecord[] {
    return this.records.votesOf(key);
  }

  /** Per photo id, per label key: the vote, for tagging. */
  votesByPhoto(): Map<string, Map<string, 'up' | 'down'>> {
    return this.records.votesByPhoto();
  }

  /** Label names (shown names and aliases) starting with `prefix`, shortest first. */
  suggestLabels(prefix: string, limit: number): { text: string; label: string }[] {
    return suggestLabels(this.labels(), (text) => this.find(text), prefix, limit);
  }

  private build(): void {
    if (this.builtAt === this.version) return;
    const { entries, byName, bySpelling } = buildLabelList(this.data, this.pack);
    this.entries = entries;
    this.byName = byName;
    this.bySpelling = bySpelling;
    this.scoring.clear();
    this.builtAt = this.version;
  }

  private changed(): void {
    this.version++;
    this.touched();
  }
}
