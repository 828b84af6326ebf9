/**
 * The user's edits to the label list: add, remove, rename, hide, and combine labels as aliases
 * (and undo that). Each edit writes the catalogue's vocabulary data and reports the change, so
 * the Vocabulary rebuilds its list; the rules for which names are free and where a merged seen
 * label goes live here, apart from the list they edit.
 */
import { emptyRecord } from '../store/keyed-record.js';
import { AnytagError } from '../errors.js';
import type { ModelPack } from '../model/pack.js';
import { stamp, type LabelEntry } from './label-entry.js';
import { normaliseLabel, validLabel } from './label-text.js';
import type { TermVectors } from './term-vectors.js';
import type { ThresholdRecords } from './threshold-records.js';
import type { SeenChange, UserLabel, VocabularyData } from '../store/vocabulary-schema.js';

/** What the edits need of the vocabulary they edit. */
export interface EditedVocabulary {
  readonly pack: ModelPack;
  readonly terms: TermVectors;
  readonly records: ThresholdRecords;
  find(text: string): LabelEntry | undefined;
  get(text: string): LabelEntry;
  /** Bumps the version (so the list is rebuilt) and marks the catalogue touched. */
  changed(): void;
}

/** What a removal changed: the label gone, a seen label hidden, or an alias taken off. */
export interface RemoveOutcome {
  /** The label removed or hidden, or the label the alias came off. */
  entry: LabelEntry;
  change: 'removed' | 'hidden' | 'alias removed';
  /** The alias taken off, for 'alias removed'. */
  alias?: string;
}

export class LabelEdits {
  constructor(
    private readonly data: VocabularyData,
    private readonly vocabulary: EditedVocabulary,
  ) {}

  private get packId(): string {
    return this.vocabulary.pack.manifest.id;
  }

  /** Adds a user label (word or phrase); UNKNOWN_WORD names words the table lacks. */
  add(text: string, aliases: readonly string[] = []): LabelEntry {
    const { terms } = this.vocabulary;
    const label = validLabel(text);
    this.checkFree(label);
    terms.resolve(label);
    const clean = [...new Set(aliases.map((a) => validLabel(a)))].filter((a) => a !== label);
    for (const alias of clean) {
      this.checkFree(alias);
      terms.resolve(alias);
    }
    this.data.labels.push({ text: label, aliases: clean, hidden: false, added: stamp('user') });
    this.vocabulary.changed();
    return this.vocabulary.get(label);
  }

  /**
   * Removes what `text` names: an alias comes off its label (a seen label merged as that alias
   * comes back); a user label goes with its thresholds and votes; a seen label is hidden.
   */
  remove(text: string): RemoveOutcome {
    const entry = this.vocabulary.get(text);
    const name = normaliseLabel(text);
    if (name !== entry.key && name !== entry.name && entry.aliases.includes(name)) {
      return { entry: this.unalias(entry.key, name), change: 'alias removed', alias: name };
    }
    if (entry.kind === 'seen') return { entry: this.setHidden(entry.key, true), change: 'hidden' };
    this.data.labels = this.data.labels.filter((l) => l.text !== entry.key);
    this.vocabulary.records.forget(entry.key);
    this.vocabulary.changed();
    return { entry, change: 'removed' };
  }

  /** Renames: a seen label's shown name, or a user label's text (and so its vector). */
  rename(text: string, to: string): LabelEntry {
    const entry = this.vocabulary.get(text);
    const name = validLabel(to);
    const owner = this.vocabulary.find(name);
    if (owner && owner.key !== entry.key) this.checkFree(name);
    if (entry.kind === 'seen') {
      const change = this.seenChange(entry.key);
      if (name === entry.key) delete change.rename;
      else change.rename = name;
    } else {
      this.vocabulary.terms.resolve(name);
      const label = this.userLabel(entry.key);
      label.text = name;
      this.vocabulary.records.moveKey(entry.key, name);
    }
    this.vocabulary.changed();
    return this.vocabulary.get(name);
  }

  setHidden(text: string, hidden: boolean): LabelEntry {
    const entry = this.vocabulary.get(text);
    if (entry.kind === 'seen') {
      const change = this.seenChange(entry.key);
      if (hidden) change.hidden = true;
      else delete change.hidden;
    } else this.userLabel(entry.key).hidden = hidden;
    this.vocabulary.changed();
    return this.vocabulary.get(entry.key);
  }

  /**
   * Combines `alias` into `label`. An alias naming another user label merges it (its aliases
   * come along); naming a seen label hides that one and records where it went.
   */
  alias(text: string, aliasText: string): LabelEntry {
    const entry = this.vocabulary.get(text);
    const alias = validLabel(aliasText);
    const other = this.vocabulary.find(alias);
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
        this.vocabulary.records.forget(other.key);
      } else this.checkFree(alias);
    } else if (other?.kind === 'seen') {
      if (other.aliasOf !== undefined || other.key !== alias) this.checkFree(alias);
      const change = this.seenChange(other.key);
      change.hidden = true;
      change.aliasOf = entry.key;
    } else this.vocabulary.terms.resolve(alias);
    const aliases = this.aliasesOf(entry);
    for (const a of added) if (!aliases.includes(a) && a !== entry.key) aliases.push(a);
    this.vocabulary.changed();
    return this.vocabulary.get(entry.key);
  }

  /** Takes an alias off a label; a seen label merged as that alias comes back. */
  unalias(text: string, aliasText: string): LabelEntry {
    const entry = this.vocabulary.get(text);
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
    this.vocabulary.changed();
    return this.vocabulary.get(entry.key);
  }

  /** INVALID_INPUT when `name` already names a label. */
  private checkFree(name: string): void {
    const owner = this.vocabulary.find(name);
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
    const pack = (this.data.seen[this.packId] ??= emptyRecord());
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
}
