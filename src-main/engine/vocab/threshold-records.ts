/**
 * The stored per-pack thresholds of the labels, the thumbs-up and -down votes that move them,
 * and the last calibration's summary: the bookkeeping half of the vocabulary, apart from the
 * label edits, so the rule "a threshold in force is its base moved by its votes" lives in one
 * place. The math itself is in thresholds.ts.
 */
import { emptyRecord } from '../store/keyed-record.js';
import { AnytagError } from '../errors.js';
import type { ModelPack } from '../model/pack.js';
import { stamp, type LabelEntry } from './label-entry.js';
import { applyVotes } from './thresholds.js';
import type { ThresholdRecord, VocabularyData, VoteRecord } from '../store/vocabulary-schema.js';

export class ThresholdRecords {
  constructor(
    private readonly data: VocabularyData,
    private readonly pack: ModelPack,
    private readonly touched: () => void,
  ) {}

  private get packId(): string {
    return this.pack.manifest.id;
  }

  threshold(key: string): ThresholdRecord | undefined {
    return this.data.thresholds[this.packId]?.[key];
  }

  /**
   * Sets (or, with null, clears) a label's manual threshold; votes still move it. The caller
   * records the change (it bumps the vocabulary's version).
   */
  setManual(entry: LabelEntry, text: string, value: number | null): ThresholdRecord {
    const record = this.threshold(entry.key);
    if (!record) {
      throw new AnytagError(
        'NOT_FOUND',
        `"${entry.name}" has no threshold yet: index some photos first`,
        { label: text },
      );
    }
    if (value === null) delete record.manual;
    else record.manual = value;
    record.value = applyVotes(record.manual ?? record.calibrated, this.votesOf(entry.key));
    record.at = new Date().toISOString();
    return record;
  }

  /** Stores a calibration result, keeping a manual value and re-applying votes. */
  setCalibrated(key: string, calibrated: Omit<ThresholdRecord, 'value' | 'manual' | 'at'>): void {
    const all = (this.data.thresholds[this.packId] ??= emptyRecord());
    const manual = all[key]?.manual;
    const base = manual ?? calibrated.calibrated;
    all[key] = {
      ...calibrated,
      ...(manual === undefined ? {} : { manual }),
      value: applyVotes(base, this.votesOf(key)),
      at: new Date().toISOString(),
    };
    this.touched();
  }

  setCalibrationInfo(prior: number, photos: number): void {
    this.data.calibration[this.packId] = { prior, photos, at: new Date().toISOString() };
    this.touched();
  }

  calibrationInfo(): VocabularyData['calibration'][string] | undefined {
    return this.data.calibration[this.packId];
  }

  /** Records a thumbs-up or -down (replacing an earlier one) and moves the threshold. */
  vote(
    key: string,
    photo: string,
    vote: 'up' | 'down',
    score: number,
  ): ThresholdRecord | undefined {
    this.data.votes = this.data.votes.filter(
      (v) => !(v.pack === this.packId && v.label === key && v.photo === photo),
    );
    this.data.votes.push({
      pack: this.packId,
      label: key,
      photo,
      vote,
      score,
      at: stamp('feedback').at,
    });
    const record = this.threshold(key);
    if (record) {
      record.value = applyVotes(record.manual ?? record.calibrated, this.votesOf(key));
      record.at = new Date().toISOString();
    }
    this.touched();
    return record;
  }

  /** Removes a photo's vote on a label. */
  clearVote(key: string, photo: string): ThresholdRecord | undefined {
    this.data.votes = this.data.votes.filter(
      (v) => !(v.pack === this.packId && v.label === key && v.photo === photo),
    );
    const record = this.threshold(key);
    if (record) record.value = applyVotes(record.manual ?? record.calibrated, this.votesOf(key));
    this.touched();
    return record;
  }

  votesOf(key: string): VoteRecord[] {
    return this.data.votes.filter((v) => v.pack === this.packId && v.label === key);
  }

  /** Per photo id, per label key: the vote, for tagging. */
  votesByPhoto(): Map<string, Map<string, 'up' | 'down'>> {
    const out = new Map<string, Map<string, 'up' | 'down'>>();
    for (const v of this.data.votes) {
      if (v.pack !== this.packId) continue;
      let photo = out.get(v.photo);
      if (!photo) out.set(v.photo, (photo = new Map()));
      photo.set(v.label, v.vote);
    }
    return out;
  }

  /** Drops a removed label's thresholds (in every pack) and votes. */
  forget(key: string): void {
    for (const all of Object.values(this.data.thresholds)) delete all[key];
    this.data.votes = this.data.votes.filter((v) => v.label !== key);
  }

  /** Moves a renamed label's thresholds (in every pack) and votes to its new key. */
  moveKey(from: string, to: string): void {
    for (const all of Object.values(this.data.thresholds)) {
      if (all[from]) all[to] = all[from]!;
      delete all[from];
    }
    for (const v of this.data.votes) if (v.label === from) v.label = to;
  }
}
