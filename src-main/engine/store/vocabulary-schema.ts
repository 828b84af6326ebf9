/**
 * The vocabulary section of the JSON catalogue: user labels, changes to the packs' seen labels,
 * per-label thresholds and feedback. Seen labels themselves live in their pack; only what the
 * user changed about them is stored, so a seen label can be hidden or renamed but never lost.
 */
import { z } from 'zod';
import { emptyRecord, keyedRecord } from './keyed-record.js';

/** Who added or changed something, and when. */
export const provenanceSchema = z.object({
  by: z.enum(['pack', 'user', 'feedback', 'calibration']),
  at: z.string(),
});

export const userLabelSchema = z.object({
  /** Normalised label text: a word or phrase; its vector is the mean of its words'. */
  text: z.string(),
  /** Synonyms combined into this label: it scores the best of their vectors. */
  aliases: z.array(z.string()),
  hidden: z.boolean(),
  added: provenanceSchema,
});

export const seenChangeSchema = z.object({
  /** Shown (and searchable) instead of the pack's name. */
  rename: z.string().optional(),
  hidden: z.boolean().optional(),
  aliases: z.array(z.string()).optional(),
  /** Set when this label was combined into another as its alias. */
  aliasOf: z.string().optional(),
  changed: provenanceSchema,
});

export const thresholdSchema = z.object({
  /** From the library's scores (vocab/thresholds.ts). */
  calibrated: z.number(),
  /** Set by the user; replaces `calibrated` as the base feedback moves from. */
  manual: z.number().optional(),
  /** In force: the base moved by this label's votes. */
  value: z.number(),
  median: z.number(),
  spread: z.number(),
  photos: z.number().int().nonnegative(),
  at: z.string(),
});

export const voteSchema = z.object({
  pack: z.string(),
  /** Label key: a seen label's pack name or a user label's text. */
  label: z.string(),
  photo: z.string(),
  vote: z.enum(['up', 'down']),
  score: z.number(),
  at: z.string(),
});

export const vocabularySchema = z.object({
  labels: z.array(userLabelSchema),
  /** Per pack id, per seen label name. */
  seen: keyedRecord(keyedRecord(seenChangeSchema)),
  /** Per pack id, per label key. */
  thresholds: keyedRecord(keyedRecord(thresholdSchema)),
  /** Per pack id: the prior τ₀ and how many photos the last calibration saw. */
  calibration: keyedRecord(
    z.object({ prior: z.number(), photos: z.number().int().nonnegative(), at: z.string() }),
  ),
  votes: z.array(voteSchema),
});

export type UserLabel = z.infer<typeof userLabelSchema>;
export type SeenChange = z.infer<typeof seenChangeSchema>;
export type ThresholdRecord = z.infer<typeof thresholdSchema>;
export type VoteRecord = z.infer<typeof voteSchema>;
export type VocabularyData = z.infer<typeof vocabularySchema>;

export function emptyVocabulary(): VocabularyData {
  return {
    labels: [],
    seen: emptyRecord(),
    thresholds: emptyRecord(),
    calibration: emptyRecord(),
    votes: [],
  };
}
