/**
 * The vocabulary's part of the API: label changes re-tag the library from stored embeddings
 * (one index pass per label), never through the model.
 */
import { roundScore, topIndices } from '../index/scoring.js';
import { scoreMatrix } from '../index/tagger.js';
import type { LabelEntry, ScoringLabel } from '../vocab/label-entry.js';
import { validLabel } from '../vocab/label-text.js';
import { calibrate, labelStats } from '../vocab/thresholds.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import type { Handlers } from './api.js';
import type { LabelSummary } from './contract.js';
import { changedSince, prune, refresh, snapshot } from './label-retag.js';
import { summarise, tagCounts } from './label-summary.js';
import { photoOf, photoSummaryOf } from './photo-summary.js';
import type { MatrixSource } from './sources.js';

type Method =
  | 'listLabels'
  | 'addLabel'
  | 'removeLabel'
  | 'renameLabel'
  | 'hideLabel'
  | 'aliasLabel'
  | 'setLabelThreshold'
  | 'previewLabel'
  | 'tagFeedback'
  | 'recalibrate'
  | 'suggest';

export function vocabularyHandlers({
  catalogue,
  active,
  matrixOf,
}: MatrixSource): Handlers<Method> {
  /** Runs a vocabulary change after any tagging in flight, then re-tags what it touched. */
  const change = async (
    edit: (vocabulary: Vocabulary) => LabelEntry,
    options: { recalibrate?: boolean } = {},
  ): Promise<{ label: LabelSummary; retagged: number }> => {
    const { vocabulary, tagging } = await active();
    return tagging.serial(async () => {
      const entry = edit(vocabulary);
      const retagged =
        prune(catalogue, vocabulary) + (await refresh(tagging, vocabulary, entry, options));
      return { label: summarise(catalogue, vocabulary, vocabulary.get(entry.key)), retagged };
    });
  };

  return {
    listLabels: async ({ hidden, kind, filter, limit }) => {
      const { vocabulary } = await active();
      const needle = filter?.toLowerCase();
      const all = vocabulary
        .labels()
        .filter((e) => (hidden || !e.hidden) && (kind === 'all' || e.kind === kind))
        .filter((e) => !needle || [e.name, ...e.aliases].some((n) => n.includes(needle)));
      const counts = tagCounts(catalogue);
      return {
        labels: all.slice(0, limit).map((e) => summarise(catalogue, vocabulary, e, counts)),
        total: all.length,
        calibration: vocabulary.calibrationInfo() ?? null,
      };
    },
    addLabel: ({ text, aliases }) => change((v) => v.add(text, aliases), { recalibrate: true }),
    removeLabel: async ({ label }) => {
      const { vocabulary, tagging } = await active();
      return tagging.serial(async () => {
        const outcome = vocabulary.remove(label);
        const { entry, change: what } = outcome;
        let retagged = prune(catalogue, vocabulary);
        // A label that lost an alias scores differently now: recalibrate and re-tag it.
        if (what === 'alias removed') {
          retagged += await refresh(tagging, vocabulary, entry, { recalibrate: true });
          const back = vocabulary.find(outcome.alias!);
          if (back && back.key !== entry.key)
            retagged += await refresh(tagging, vocabulary, back, {});
        }
        const shown = what === 'removed' ? entry : vocabulary.get(entry.key);
        return {
          label: summarise(catalogue, vocabulary, shown),
          retagged,
          removed: what === 'removed',
          change: what,
          ...(outcome.alias !== undefined && { alias: outcome.alias }),
        };
      });
    },
    renameLabel: ({ label, to }) => change((v) => v.rename(label, to), { recalibrate: true }),
    hideLabel: ({ label, hidden }) => change((v) => v.setHidden(label, hidden)),
    aliasLabel: ({ label, alias, remove }) =>
      change((v) => (remove ? v.unalias(label, alias) : v.alias(label, alias)), {
        recalibrate: true,
      }),
    setLabelThreshold: ({ label, threshold }) =>
      change((v) => {
        v.setManualThreshold(label, threshold);
        return v.get(label);
      }),
    previewLabel: async ({ text, aliases, threshold, limit, nearest }) => {
      const { vocabulary, tagging, searchIndex } = await active();
      const existing = vocabulary.find(text);
      const scoring: ScoringLabel = existing
        ? vocabulary.scoringLabel(existing)
        : candidate(vocabulary, text, aliases);
      const pass = await tagging.pass(scoring);
      const ids = searchIndex.ids;
      const prior = tagging.labelPrior(scoring);
      const calibrated = existing
        ? (vocabulary.threshold(existing.key)?.value ?? null)
        : prior === undefined
          ? null
          : calibrate(labelStats(pass.scores.scores), prior).threshold;
      const cut = threshold ?? calibrated ?? Infinity;
      const scores = pass.scores.scores;
      // Photos on the other side of the cut get no score, so the one top-k leaves them out; a
      // saved label's votes decide as they do for its tags (up: in, down: out).
      const votes = new Map(
        existing ? vocabulary.votesOf(existing.key).map((v) => [v.photo, v.vote] as const) : [],
      );
      const inside = Array.from(scores, (s, i) => {
        const vote = votes.get(ids[i]!);
        return vote ? vote === 'up' : s >= cut;
      });
      const passing = scores.map((s, i) => (inside[i] ? s : -Infinity));
      const under = scores.map((s, i) => (inside[i] ? -Infinity : s));
      const matches = passing.filter((s) => s !== -Infinity).length;
      const summaries = (at: readonly number[]) =>
        at.flatMap((i) => {
          const photo = catalogue.photoById(ids[i]!);
          if (!photo) return [];
          return [
            { ...photoSummaryOf(photo), score: roundScore(scores[i]!), row: pass.scores.rows[i]! },
          ];
        });
      return {
        text: scoring.entry.name,
        ...(existing && { label: existing.name }),
        threshold: cut,
        calibrated,
        matches,
        photos: summaries(topIndices(passing, limit)),
        nearest: summaries(topIndices(under, nearest)),
      };
    },
    tagFeedback: async ({ photo: ref, label, vote }) => {
      const { vocabulary, tagging, searchIndex } = await active();
      const photo = photoOf(catalogue, ref);
      return tagging.serial(async () => {
        const entry = vocabulary.get(label);
        // The same matrix and rule as photoTags: one score for a label on a photo.
        const matrix = await matrixOf(photo.id);
        const scoring = vocabulary.scoringLabel(entry);
        const { score } = scoreMatrix(matrix, searchIndex.k, searchIndex.d, [scoring])[0]!;
        const before = vocabulary.threshold(entry.key)?.value ?? null;
        const record =
          vote === 'clear'
            ? vocabulary.clearVote(entry.key, photo.id)
            : vocabulary.vote(entry.key, photo.id, vote, score);
        const retagged = await tagging.retag([scoring]);
        return {
          label: summarise(catalogue, vocabulary, entry),
          photo: photoSummaryOf(photo),
          vote,
          score: roundScore(score),
          threshold: { before, after: record?.value ?? null },
          retagged,
        };
      });
    },
    recalibrate: async () => {
      const { tagging } = await active();
      return tagging.serial(async () => {
        const before = snapshot(catalogue);
        const report = await tagging.calibrateAll();
        return { ...report, retagged: changedSince(catalogue, before) };
      });
    },
    suggest: async ({ prefix, limit }) => {
      const { vocabulary, pack } = await active();
      const labels = vocabulary.suggestLabels(prefix, limit);
      const taken = new Set(labels.map((l) => l.text));
      const words = pack.wordTable
        .withPrefix(prefix.toLowerCase(), limit)
        .filter((w) => !taken.has(w))
        .slice(0, Math.max(0, limit - labels.length));
      return {
        suggestions: [
          ...labels.map((l) => ({
            text: l.text,
            kind: 'label' as const,
            ...(l.label !== l.text && { label: l.label }),
          })),
          ...words.map((text) => ({ text, kind: 'word' as const })),
        ],
      };
    },
  };
}

/** A label that is not saved: for previews. */
function candidate(vocabulary: Vocabulary, text: string, aliases: readonly string[]): ScoringLabel {
  const name = validLabel(text);
  const members = [name, ...aliases.map((a) => validLabel(a))];
  return {
    entry: {
      key: name,
      name,
      kind: 'user',
      aliases: members.slice(1),
      hidden: false,
      provenance: { by: 'user', at: '' },
    },
    vectors: members.map((m) => vocabulary.terms.resolve(m).vector),
    members,
  };
}
