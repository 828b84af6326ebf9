/**
 * The contract's vocabulary area: the active pack's labels (seen and the user's), their
 * thresholds, votes on tags, the review queue and recalibration.
 */
import { z } from 'zod';
import type { LabelEntry } from '../../vocab/label-entry.js';
import { filePath, label, text } from './fields.js';
import type { PhotoSummary } from './photos.js';

export const vocabularyInputSchemas = {
  /** Labels of the active pack's vocabulary, seen and the user's, with thresholds and counts. */
  listLabels: z.strictObject({
    /** Include hidden labels (and seen labels merged into others as aliases). */
    hidden: z.boolean().default(false),
    kind: z.enum(['all', 'seen', 'user']).default('all'),
    /** Only labels whose name or an alias contains this text. */
    filter: z.string().trim().max(100).optional(),
    limit: z.number().int().min(1).max(100_000).default(5000),
  }),
  /** Adds a user label (a word or phrase), with optional aliases; tags the library at once. */
  addLabel: z.strictObject({ text: label, aliases: z.array(label).max(50).default([]) }),
  /** Removes a user label and its tags; a seen label is hidden instead (never lost). */
  removeLabel: z.strictObject({ label }),
  /** Renames a label: a seen label's shown name, or a user label's words (and so its meaning). */
  renameLabel: z.strictObject({ label, to: label }),
  /** Hides a label from tags and lists (hidden: false shows it again). */
  hideLabel: z.strictObject({ label, hidden: z.boolean().default(true) }),
  /** Combines a synonym into a label (or, with remove, takes it off). An alias naming another
   *  label merges that label into this one. */
  aliasLabel: z.strictObject({ label, alias: label, remove: z.boolean().default(false) }),
  /** Sets a label's threshold by hand; null returns it to the calibrated value. */
  setLabelThreshold: z.strictObject({
    label,
    threshold: z.number().min(-1000).max(1000).nullable(),
  }),
  /** The photos a label (new or existing) would tag, without saving anything. */
  previewLabel: z.strictObject({
    text: label,
    aliases: z.array(label).max(50).default([]),
    /** Preview with this threshold instead of the calibrated one. */
    threshold: z.number().min(-1000).max(1000).optional(),
    limit: z.number().int().min(1).max(10_000).default(50),
    /** Also return up to this many of the best photos below the threshold (`nearest`). */
    nearest: z.number().int().min(0).max(1000).default(0),
  }),
  /** Thumbs-up or -down on a photo's tag (clear takes the vote back); moves the threshold. */
  tagFeedback: z.strictObject({
    /** A photo id or an absolute path in the catalogue. */
    photo: filePath,
    label,
    vote: z.enum(['up', 'down', 'clear']),
  }),
  /**
   * One vote on one label for many photos (bulk add / remove a label; Undo): the votes are
   * recorded, then the library is re-tagged once. `previous` in the result is for Undo.
   */
  labelPhotos: z.strictObject({
    /** Photo ids or absolute paths in the catalogue. */
    photos: z.array(text(4096)).min(1).max(10_000),
    label,
    vote: z.enum(['up', 'down', 'clear']),
  }),
  /**
   * Photo–label pairs closest to the label's threshold (where a vote teaches most), for the
   * user's labels or one label; pairs already voted on are left out.
   */
  reviewQueue: z.strictObject({
    label: label.optional(),
    limit: z.number().int().min(1).max(1000).default(50),
  }),
  /** Recalibrates every label's threshold from the library and re-tags every photo. */
  recalibrate: z.strictObject({}),
} as const;

export interface ThresholdSummary {
  /** In force: the calibrated (or manual) value moved by votes. */
  value: number;
  calibrated: number;
  manual?: number;
  votes: { up: number; down: number };
}

export interface LabelSummary extends Pick<
  LabelEntry,
  'key' | 'name' | 'kind' | 'aliases' | 'hidden' | 'aliasOf' | 'specificity'
> {
  threshold: ThresholdSummary | null;
  /** Photos tagged with it now. */
  tagged: number;
  /** Who added it (pack, user) or last changed it, and when. */
  provenance: { by: string; at: string };
}

export interface LabelChangeResult {
  label: LabelSummary;
  /** Photos whose tags changed. */
  retagged: number;
}

export interface PreviewResult {
  text: string;
  /** An existing label's name, when the text names one. */
  label?: string;
  threshold: number;
  calibrated: number | null;
  /** Photos at or above the threshold. */
  matches: number;
  photos: (PhotoSummary & { score: number; row: number })[];
  /** The best photos below the threshold, best first (as many as the input's `nearest`). */
  nearest: (PhotoSummary & { score: number; row: number })[];
}

export interface FeedbackResult {
  label: LabelSummary;
  photo: PhotoSummary;
  vote: 'up' | 'down' | 'clear';
  score: number;
  threshold: { before: number | null; after: number | null };
  retagged: number;
}

export interface ReviewItem extends PhotoSummary {
  /** The label's shown name. */
  label: string;
  score: number;
  threshold: number;
  /** The photo carries the label now (score at or above the threshold). */
  tagged: boolean;
}

export interface BulkFeedbackResult {
  label: LabelSummary;
  vote: 'up' | 'down' | 'clear';
  /** Photos voted on. */
  photos: number;
  /** Each photo's vote on the label before this call (null: none), for Undo. */
  previous: { photo: string; vote: 'up' | 'down' | null }[];
  threshold: { before: number | null; after: number | null };
  /** Photos whose tags changed. */
  retagged: number;
}

export interface CalibrationSummary {
  /** τ₀: the pack-wide floor every label's threshold starts from. */
  prior: number;
  photos: number;
  sampled: number;
  labels: number;
  seconds: number;
  retagged: number;
}

/** The vocabulary area's results, by method. */
export interface VocabularyMethodResults {
  listLabels: {
    labels: LabelSummary[];
    total: number;
    calibration: { prior: number; photos: number; at: string } | null;
  };
  addLabel: LabelChangeResult;
  removeLabel: LabelChangeResult & {
    /** The label itself is gone (a user label). */
    removed: boolean;
    /** What changed: the label removed, a seen label hidden, or an alias taken off `label`. */
    change: 'removed' | 'hidden' | 'alias removed';
    /** The alias taken off, for 'alias removed'. */
    alias?: string;
  };
  renameLabel: LabelChangeResult;
  hideLabel: LabelChangeResult;
  aliasLabel: LabelChangeResult;
  setLabelThreshold: LabelChangeResult;
  previewLabel: PreviewResult;
  tagFeedback: FeedbackResult;
  labelPhotos: BulkFeedbackResult;
  reviewQueue: { items: ReviewItem[] };
  recalibrate: CalibrationSummary;
}
