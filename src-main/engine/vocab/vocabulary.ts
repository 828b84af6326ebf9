/**
 * The vocabulary of the active pack: its seen labels (hideable, renamable, never lost) and the
 * user's labels (any word or phrase the word table knows), each with aliases combined into it,
 * a threshold and provenance. Reads and writes the catalogue's `vocabulary` section; every
 * change bumps `version` so compiled label lists and cached scores are rebuilt.
 */
import { AnytagError } from '../errors.js';
import type { ModelPack } from '../model/pack.js';
import { normaliseLabel, validLabel } from './label-text.js';
import type { TermVectors } from './term-vectors.js';
import { applyVotes } from './thresholds.js';
import type {
  SeenChange,
  ThresholdRecord,
  UserLabel,
  VocabularyData,
  VoteRecord,
} from './vocabulary-schema.js';

export interface Provenance {
  by: 'pack' | 'user' | 'feedback' | 'calibration';
  at: string;
}

/** One label as the rest of the engine sees it. */
export interface LabelEntry {
  /** Stable identity: a seen label's pack name, or a user label's text. */
  key: string;
  /** Shown to users: the rename when there is one. */
  name: string;
  kind: 'seen' | 'user';
  aliases: string[];
  hidden: boolean;
  /** Set when the label was combined into another as an alias (it is then hidden). */
  aliasOf?: string;
  specificity?: number;
  seenIndex?: number;
  provenance: Provenance;
}

/** A label ready to score: its vector and its aliases' vectors. */
export interface ScoringLabel {
  entry: LabelEntry;
  vectors: Float32Array[];
  members: string[];
}

export class Vocabulary {
  private entries: LabelEntry[] = [];
  private byName = new Map<string, LabelEntry>();
  private scoring = new Map<string, ScoringLabel>();
  private builtAt = -1;
  /** Bumped by every change; caches compare it. */
  version = 0;

  constructor(
    private readonly data: VocabularyData,
    readonly pack: ModelPack,
    readonly terms: TermVectors,
    private readonly touched: () => void,
  ) {}

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
    const label = validLabel(text);
    this.checkFree(label);
    this.terms.resolve(label);
    const clean = [...new Set(aliases.map((a) => validLabel(a)))].filter((a) => a !== label);
    for (const alias of clean) {
      this.checkFree(alias);
      this.terms.resolve(alias);
    }
    this.data.labels.push({ text: label, aliases: clean, hidden: false, added: stamp('user') });
    this.changed();
    return this.get(label);
  }

  /** Removes a user label with its thresholds and votes; a seen label is hidden instead. */
  remove(text: string): { entry: LabelEntry; removed: boolean } {
    const entry = this.get(text);
    if (entry.kind === 'seen') return { entry: this.setHidden(entry.key, true), removed: false };
    this.data.labels = this.data.labels.filter((l) => l.text !== entry.key);
    this.forget(entry.key);
    this.changed();
    return { entry, removed: true };
  }

  /** Renames: a seen label's shown name, or a user label's text (and so its vector). */
  rename(text: string, to: string): LabelEntry {
    const entry = this.get(text);
    const name = validLabel(to);
    const owner = this.find(name);
    if (owner && owner.key !== entry.key) this.checkFree(name);
    if (entry.kind === 'seen') {
      const change = this.seenChange(entry.key);
      if (name === entry.key) delete change.rename;
      else change.rename = name;
    } else {
      this.terms.resolve(name);
      const label = this.userLabel(entry.key);
      label.text = name;
      this.moveKey(entry.key, name);
    }
    this.changed();
    return this.get(name);
  }

  setHidden(text: string, hidden: boolean): LabelEntry {
    const entry = this.get(text);
    if (entry.kind === 'seen') {
      const change = this.seenChange(entry.key);
      if (hidden) change.hidden = true;
      else delete change.hidden;
    } else this.userLabel(entry.key).hidden = hidden;
    this.changed();
    return this.get(entry.key);
  }

  /**
   * Combines `alias` into `label`. An alias naming another user label merges it (its aliases
   * come along); naming a seen label hides that one and records where it went.
   */
  alias(text: string, aliasText: string): LabelEntry {
    const entry = this.get(text);
    const alias = validLabel(aliasText);
    const other = this.find(alias);
    if (other?.key === entry.key) {
      throw new AnytagError('INVALID_INPUT', `"${alias}" already names "${entry.name}"`, {
        label: text,
        alias,
      });
    }
    const added = [alias];
    if (other?.kind === 'user') {
      if (other.aliasOf === undefined) {
        added.push(...other.aliases);
        this.data.labels = this.data.labels.filter((l) => l.text !== other.key);
        this.forget(other.key);
      } else this.checkFree(alias);
    } else if (other?.kind === 'seen') {
      if (other.aliasOf !== undefined || other.key !== alias) this.checkFree(alias);
      const change = this.seenChange(other.key);
      change.hidden = true;
      change.aliasOf = entry.key;
    } else this.terms.resolve(alias);
    const aliases = this.aliasesOf(entry);
    for (const a of added) if (!aliases.includes(a) && a !== entry.key) aliases.push(a);
    this.changed();
    return this.get(entry.key);
  }

  /** Takes an alias off a label; a seen label merged as that alias comes back. */
  unalias(text: string, aliasText: string): LabelEntry {
    const entry = this.get(text);
    const alias = normaliseLabel(aliasText);
    const aliases = this.aliasesOf(entry);
    if (!aliases.includes(alias)) {
      throw new AnytagError('NOT_FOUND', `"${alias}" is not an alias of "${entry.name}"`, {
        label: text,
        alias,
        aliases: [...aliases],
      });
    }
    aliases.splice(aliases.indexOf(alias), 1);
    const seenChange = this.data.seen[this.packId]?.[alias];
    if (seenChange?.aliasOf === entry.key) {
      delete seenChange.aliasOf;
      delete seenChange.hidden;
    }
    this.changed();
    return this.get(entry.key);
  }

  threshold(key: string): ThresholdRecord | undefined {
    return this.data.thresholds[this.packId]?.[key];
  }

  /** Sets (or, with null, clears) a manual threshold; votes still move it. */
  setManualThreshold(text: string, value: number | null): ThresholdRecord {
    const entry = this.get(text);
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
    this.changed();
    return record;
  }

  /** Stores a calibration result, keeping a manual value and re-applying votes. */
  setCalibrated(key: string, calibrated: Omit<ThresholdRecord, 'value' | 'manual' | 'at'>): void {
    const all = (this.data.thresholds[this.packId] ??= {});
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

  /** Label names (shown names and aliases) starting with `prefix`, shortest first. */
  suggestLabels(prefix: string, limit: number): { text: string; label: string }[] {
    const start = normaliseLabel(prefix);
    const found: { text: string; label: string }[] = [];
    for (const entry of this.labels()) {
      if (entry.hidden && entry.aliasOf === undefined) continue;
      const owner = entry.aliasOf ? this.find(entry.aliasOf) : entry;
      if (!owner || owner.hidden) continue;
      for (const text of entry.aliasOf ? [entry.key] : [entry.name, ...entry.aliases]) {
        if (text.startsWith(start)) found.push({ text, label: owner.name });
      }
    }
    found.sort((a, b) => a.text.length - b.text.length || a.text.localeCompare(b.text));
    return found.filter((f, i) => found.findIndex((g) => g.text === f.text) === i).slice(0, limit);
  }

  private build(): void {
    if (this.builtAt === this.version) return;
    const seen = this.data.seen[this.packId] ?? {};
    const entries: LabelEntry[] = this.pack.labels.map((label, i) => {
      const key = normaliseLabel(label.name);
      const change: SeenChange | undefined = seen[key];
      const entry: LabelEntry = {
        key,
        name: change?.rename ?? key,
        kind: 'seen',
        aliases: change?.aliases ?? [],
        hidden: change?.hidden ?? false,
        seenIndex: i,
        provenance: change?.changed ?? { by: 'pack', at: '' },
      };
      if (label.specificity !== undefined) entry.specificity = label.specificity;
      if (change?.aliasOf !== undefined) entry.aliasOf = change.aliasOf;
      return entry;
    });
    for (const label of this.data.labels) {
      entries.push({
        key: label.text,
        name: label.text,
        kind: 'user',
        aliases: label.aliases,
        hidden: label.hidden,
        provenance: label.added,
      });
    }
    const byName = new Map<string, LabelEntry>();
    // Names a user typed win over pack names; merged labels answer to their new owner.
    for (const entry of entries) if (!byName.has(entry.key)) byName.set(entry.key, entry);
    for (const entry of entries) {
      for (const name of [entry.name, ...entry.aliases]) byName.set(name, entry);
    }
    this.entries = entries;
    this.byName = byName;
    this.scoring.clear();
    this.builtAt = this.version;
  }

  private changed(): void {
    this.version++;
    this.touched();
  }

  /** INVALID_INPUT when `name` already names a label. */
  private checkFree(name: string): void {
    const owner = this.find(name);
    if (owner) {
      const how = owner.hidden ? ' (hidden; show it again instead)' : '';
      throw new AnytagError(
        'INVALID_INPUT',
        `"${name}" is already the label "${owner.name}"${how}`,
        {
          label: name,
          existing: owner.key,
        },
      );
    }
  }

  private seenChange(key: string): SeenChange {
    const pack = (this.data.seen[this.packId] ??= {});
    const change = (pack[key] ??= { changed: stamp('user') });
    change.changed = stamp('user');
    return change;
  }

  private userLabel(key: string): UserLabel {
    return this.data.labels.find((l) => l.text === key)!;
  }

  private aliasesOf(entry: LabelEntry): string[] {
    if (entry.kind === 'user') return this.userLabel(entry.key).aliases;
    return (this.seenChange(entry.key).aliases ??= []);
  }

  private forget(key: string): void {
    for (const all of Object.values(this.data.thresholds)) delete all[key];
    this.data.votes = this.data.votes.filter((v) => v.label !== key);
  }

  private moveKey(from: string, to: string): void {
    for (const all of Object.values(this.data.thresholds)) {
      if (all[from]) all[to] = all[from]!;
      delete all[from];
    }
    for (const v of this.data.votes) if (v.label === from) v.label = to;
  }
}

function stamp(by: Provenance['by']): Provenance {
  return { by, at: new Date().toISOString() };
}
