/**
 * The vocabulary's part of the API, and search: label changes re-tag the library from stored
 * embeddings (one index pass per label), never through the model. api.ts spreads these into
 * its handler table.
 */
import path from 'node:path';
import type { ApiParsedInput, ApiResults, PhotoSummary } from '../api-contract.js';
import type { Engine } from '../engine.js';
import { AnytagError } from '../errors.js';
import { parseQuery } from '../index/query.js';
import { evaluateQuery, type ResolvedTerm } from '../index/search.js';
import { scoreMatrix } from '../index/tagger.js';
import type { Tagging } from '../index/tagging.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import { validLabel } from './label-text.js';
import { calibrate, labelStats } from './thresholds.js';
import type { LabelSummary, VocabularyResults } from './vocabulary-contract.js';
import type { LabelEntry, ScoringLabel, Vocabulary } from './vocabulary.js';

type Method = keyof VocabularyResults | 'search';
type Handlers = { [M in Method]: (input: ApiParsedInput<M>) => Promise<ApiResults[M]> };

export function vocabularyHandlers(
  engine: Engine,
  summaryOf: (photo: PhotoRecord) => PhotoSummary,
): Handlers {
  const active = () => engine.activePack();
  /** Runs a vocabulary change after any tagging in flight, then re-tags what it touched. */
  const change = async (
    edit: (vocabulary: Vocabulary) => LabelEntry,
    options: { recalibrate?: boolean } = {},
  ): Promise<{ label: LabelSummary; retagged: number }> => {
    const { vocabulary, tagging } = await active();
    return tagging.serial(async () => {
      const entry = edit(vocabulary);
      const retagged =
        prune(engine, vocabulary) + (await refresh(tagging, vocabulary, entry, options));
      return { label: summarise(engine, vocabulary, vocabulary.get(entry.key)), retagged };
    });
  };
  const photoOf = (ref: string): PhotoRecord => {
    const photo =
      engine.catalogue.photoById(ref) ?? engine.catalogue.photoByPath(path.resolve(ref));
    if (!photo)
      throw new AnytagError('NOT_FOUND', `No photo "${ref}" in the catalogue`, { photo: ref });
    return photo;
  };

  return {
    listLabels: async ({ hidden, kind, filter, limit }) => {
      const { vocabulary } = await active();
      const needle = filter?.toLowerCase();
      const all = vocabulary
        .labels()
        .filter((e) => (hidden || !e.hidden) && (kind === 'all' || e.kind === kind))
        .filter((e) => !needle || [e.name, ...e.aliases].some((n) => n.includes(needle)));
      const counts = tagCounts(engine);
      return {
        labels: all.slice(0, limit).map((e) => summarise(engine, vocabulary, e, counts)),
        total: all.length,
        calibration: vocabulary.calibrationInfo() ?? null,
      };
    },
    addLabel: ({ text, aliases }) => change((v) => v.add(text, aliases), { recalibrate: true }),
    removeLabel: async ({ label }) => {
      let removed = false;
      const result = await change((v) => {
        const outcome = v.remove(label);
        removed = outcome.removed;
        return outcome.entry;
      });
      return { ...result, removed };
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
    previewLabel: async ({ text, aliases, threshold, limit }) => {
      const { vocabulary, tagging, searchIndex } = await active();
      const existing = vocabulary.find(text);
      const scoring: ScoringLabel = existing
        ? vocabulary.scoringLabel(existing)
        : candidate(vocabulary, text, aliases);
      const pass = await tagging.pass(scoring);
      const prior = tagging.labelPrior(scoring);
      const calibrated = existing
        ? (vocabulary.threshold(existing.key)?.value ?? null)
        : prior === undefined
          ? null
          : calibrate(labelStats(pass.scores.scores), prior).threshold;
      const cut = threshold ?? calibrated ?? Infinity;
      const ids = searchIndex.ids;
      const order: number[] = [];
      pass.scores.scores.forEach((s, i) => s >= cut && order.push(i));
      order.sort((a, b) => pass.scores.scores[b]! - pass.scores.scores[a]!);
      return {
        text: scoring.entry.name,
        ...(existing && { label: existing.name }),
        threshold: cut,
        calibrated,
        matches: order.length,
        photos: order.slice(0, limit).flatMap((i) => {
          const photo = engine.catalogue.photoById(ids[i]!);
          if (!photo) return [];
          return [
            {
              ...summaryOf(photo),
              score: round(pass.scores.scores[i]!),
              row: pass.scores.rows[i]!,
            },
          ];
        }),
      };
    },
    tagFeedback: async ({ photo: ref, label, vote }) => {
      const { vocabulary, tagging, searchIndex } = await active();
      const photo = photoOf(ref);
      return tagging.serial(async () => {
        const entry = vocabulary.get(label);
        const matrix = searchIndex.matrix(photo.id);
        if (!matrix) {
          throw new AnytagError('NOT_FOUND', `${photo.path} has no embedding yet`, { photo: ref });
        }
        const scoring = vocabulary.scoringLabel(entry);
        const { score } = scoreMatrix(matrix, searchIndex.k, searchIndex.d, [scoring])[0]!;
        const before = vocabulary.threshold(entry.key)?.value ?? null;
        const record =
          vote === 'clear'
            ? vocabulary.clearVote(entry.key, photo.id)
            : vocabulary.vote(entry.key, photo.id, vote, score);
        const retagged = await tagging.retag([scoring]);
        return {
          label: summarise(engine, vocabulary, entry),
          photo: summaryOf(photo),
          vote,
          score: round(score),
          threshold: { before, after: record?.value ?? null },
          retagged,
        };
      });
    },
    recalibrate: async () => {
      const { tagging } = await active();
      return tagging.serial(async () => {
        const before = snapshot(engine);
        const report = await tagging.calibrateAll();
        return { ...report, retagged: changedSince(engine, before) };
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
    search: async (input) => {
      const { vocabulary, searchIndex } = await active();
      const parsed = parseQuery(input.query);
      const folders = [...input.folders, ...parsed.filters.folders].map((f) => path.resolve(f));
      const after = parsed.filters.after ?? input.after;
      const before = parsed.filters.before ?? input.before;
      const filter = photoFilter(engine, folders, after, before);
      const hits = await evaluateQuery(searchIndex, parsed, resolver(vocabulary), {
        limit: input.limit,
        matchedOnly: input.matchedOnly,
        ...(filter && { filter }),
      });
      return {
        query: input.query,
        hits: hits.flatMap((hit) => {
          const photo = engine.catalogue.photoById(hit.photoId);
          return photo
            ? [{ ...summaryOf(photo), score: hit.score, matched: hit.matched, why: hit.why }]
            : [];
        }),
      };
    },
  };
}

/** A query word → a vocabulary label (with aliases and threshold) or any word of the table. */
export function resolver(vocabulary: Vocabulary): (text: string) => ResolvedTerm {
  const prior = vocabulary.calibrationInfo()?.prior;
  return (text) => {
    const entry = vocabulary.find(text);
    if (entry) {
      const label = vocabulary.scoringLabel(entry);
      const threshold = vocabulary.threshold(entry.key)?.value;
      return {
        key: `${vocabulary.version}:${entry.key}`,
        text,
        source: entry.kind,
        label: entry.name,
        vectors: label.vectors,
        members: label.members,
        ...(threshold !== undefined && { threshold }),
        ...(prior !== undefined && { prior }),
      };
    }
    const term = vocabulary.terms.resolve(text);
    return {
      key: `word:${term.text}`,
      text,
      source: 'word',
      vectors: [term.vector],
      ...(prior !== undefined && { prior: prior * vocabulary.scaleOf([term.vector]) }),
    };
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

/** After a change: recalibrate the label when asked (or when it has no threshold), re-tag it. */
async function refresh(
  tagging: Tagging,
  vocabulary: Vocabulary,
  entry: LabelEntry,
  options: { recalibrate?: boolean },
): Promise<number> {
  const current = vocabulary.find(entry.key);
  if (!current || current.hidden) return 0;
  const label = vocabulary.scoringLabel(current);
  const pass = await tagging.pass(label);
  if (options.recalibrate || !vocabulary.threshold(current.key)) tagging.calibrateFrom(pass);
  return tagging.retag([label], { passes: [pass] });
}

/** Drops tags of labels that are gone or hidden. */
function prune(engine: Engine, vocabulary: Vocabulary): number {
  const live = new Set(
    vocabulary
      .labels()
      .filter((e) => !e.hidden)
      .map((e) => e.key),
  );
  let changed = 0;
  for (const photo of engine.catalogue.photos()) {
    const tags = photo.tags.filter((t) => t.key === undefined || live.has(t.key));
    if (tags.length !== photo.tags.length) {
      photo.tags = tags;
      changed++;
    }
  }
  if (changed) engine.catalogue.touched();
  return changed;
}

function photoFilter(
  engine: Engine,
  folders: string[],
  after: string | undefined,
  before: string | undefined,
): ((id: string) => boolean) | undefined {
  if (!folders.length && !after && !before) return undefined;
  const from = after ? Date.parse(after) : -Infinity;
  // A bare date includes its whole day.
  const to = before ? Date.parse(before) + (/T/.test(before) ? 0 : 86_400_000 - 1) : Infinity;
  return (id) => {
    const photo = engine.catalogue.photoById(id);
    if (!photo) return false;
    if (
      folders.length &&
      !folders.some((f) => photo.path.startsWith(f + path.sep) || photo.path === f)
    ) {
      return false;
    }
    const takenAt = (photo as { takenAt?: string }).takenAt;
    const time = takenAt ? Date.parse(takenAt) : photo.mtimeMs;
    return time >= from && time <= to;
  };
}

function summarise(
  engine: Engine,
  vocabulary: Vocabulary,
  entry: LabelEntry,
  counts = tagCounts(engine),
): LabelSummary {
  const record = vocabulary.threshold(entry.key);
  const votes = vocabulary.votesOf(entry.key);
  const summary: LabelSummary = {
    key: entry.key,
    name: entry.name,
    kind: entry.kind,
    aliases: [...entry.aliases],
    hidden: entry.hidden,
    threshold: record
      ? {
          value: round(record.value),
          calibrated: round(record.calibrated),
          ...(record.manual !== undefined && { manual: record.manual }),
          votes: {
            up: votes.filter((v) => v.vote === 'up').length,
            down: votes.filter((v) => v.vote === 'down').length,
          },
        }
      : null,
    tagged: counts.get(entry.key) ?? 0,
    provenance: entry.provenance,
  };
  if (entry.aliasOf !== undefined) summary.aliasOf = entry.aliasOf;
  if (entry.specificity !== undefined) summary.specificity = entry.specificity;
  return summary;
}

function tagCounts(engine: Engine): Map<string, number> {
  const counts = new Map<string, number>();
  for (const photo of engine.catalogue.photos()) {
    for (const tag of photo.tags) if (tag.key) counts.set(tag.key, (counts.get(tag.key) ?? 0) + 1);
  }
  return counts;
}

function snapshot(engine: Engine): Map<string, string> {
  return new Map(engine.catalogue.photos().map((p) => [p.id, tagSignature(p)]));
}

function changedSince(engine: Engine, before: Map<string, string>): number {
  return engine.catalogue.photos().filter((p) => before.get(p.id) !== tagSignature(p)).length;
}

function tagSignature(photo: PhotoRecord): string {
  return photo.tags.map((t) => `${t.key ?? t.label}:${t.score}`).join('|');
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
