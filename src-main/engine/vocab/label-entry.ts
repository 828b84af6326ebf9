/**
 * What a label is to the rest of the engine: its entry (identity, shown name, aliases, state,
 * provenance) and, ready to score, its vectors. Kept apart from the Vocabulary that builds them
 * so tagging, scoring and the API can name these shapes without the class that edits them.
 */

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
  /** Seen labels this one implies (pack keys: dog → canine, mammal, animal…), from the pack. */
  broader?: string[];
  seenIndex?: number;
  provenance: Provenance;
}

/** A label ready to score: its vector and its aliases' vectors. */
export interface ScoringLabel {
  entry: LabelEntry;
  vectors: Float32Array[];
  members: string[];
}

/** Who did something, now. */
export function stamp(by: Provenance['by']): Provenance {
  return { by, at: new Date().toISOString() };
}
