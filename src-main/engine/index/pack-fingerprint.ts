/**
 * The fingerprint of what a library's stored embeddings and tags were made with, so that an
 * installed pack changed under the same id is noticed, said in words, and acted on — never by
 * silently dropping embeddings. Recorded beside the pack's embeddings, in
 * `<data>/embeddings/<pack>.fingerprint.json`, once what it describes is on disk.
 *
 * Two kinds of parts, each a sha256 (hex):
 * - the embeddings depend on the model file (pack.json `model.sha256`; its variants stay close
 *   to it by contract, docs/model-pack.md),
 *   pack.json's `input` section (how photos are fed to it) and `output` section (how its
 *   output is read): when one changes, the stored matrices no longer mean anything — they are
 *   kept aside and every photo is re-embedded;
 * - the tags depend, besides, on the seen labels (labels.json's content, parsed) and the vectors
 *   labels score with (the label vectors, the word table and its map): when only these change,
 *   tags are recomputed from the stored embeddings; the model does not run.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { ModelPack } from '../model/pack.js';
import { AtomicJsonFile } from '../store/atomic-json-file.js';

export const FINGERPRINT_PARTS = [
  'model',
  'input',
  'output',
  'labels',
  'labelVectors',
  'wordTable',
] as const;
export type FingerprintPart = (typeof FINGERPRINT_PARTS)[number];
/** The parts the stored embeddings depend on (the rest only change tags). */
const EMBEDDING_PARTS: ReadonlySet<FingerprintPart> = new Set(['model', 'input', 'output']);

/** Each part's sha256 (hex). */
export type PackFingerprint = Record<FingerprintPart, string>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const recordSchema = z.object({
  format: z.literal(1),
  pack: z.string(),
  parts: z.object(Object.fromEntries(FINGERPRINT_PARTS.map((p) => [p, sha256]))),
  recordedAt: z.string(),
});
type FingerprintRecord = z.infer<typeof recordSchema>;

const hash = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** The fingerprint of `pack` as loaded (its files' sha256 were checked against pack.json). */
export function packFingerprint(pack: ModelPack): PackFingerprint {
  const { model, input, output, labels, wordTable, wordMap } = pack.manifest;
  return {
    // Variants (model.variants) stay close to this file by contract: adding one re-embeds nothing.
    model: hash(model.sha256),
    input: hash(input),
    output: hash(output),
    labels: hash(pack.labels),
    labelVectors: hash(labels.sha256),
    wordTable: hash([wordTable.sha256, wordMap?.sha256 ?? null]),
  };
}

/** Where the fingerprint of pack `packId`'s embeddings is recorded. */
export function fingerprintFile(dataDir: string, packId: string): string {
  return path.join(dataDir, 'embeddings', `${packId}.fingerprint.json`);
}

/** What changed in a pack since its embeddings and tags were recorded, and what to do. */
export interface FingerprintCheck {
  /** The parts that changed; empty when unchanged, or when nothing was recorded yet. */
  changed: FingerprintPart[];
  /** The model, input or output changed: set the embeddings aside and re-embed. */
  reembed: boolean;
  /** Only labels or label vectors changed: re-tag from the stored embeddings. */
  retag: boolean;
  /** Nothing recorded yet (a new library, or one from before fingerprints). */
  firstRecord: boolean;
  /** The changed parts in words, naming the pack's files ("model.onnx, labels.json"). */
  described: string;
  /** Records the pack's current fingerprint (durably); call once what it describes is on disk. */
  record(): Promise<void>;
}

/**
 * Compares `pack` with the fingerprint recorded for its embeddings in `dataDir`. A missing or
 * unreadable record reads as "nothing recorded" (firstRecord): there is nothing to compare, and
 * the embedding file's own header still guards the model's sha256 and the output's shape.
 */
export async function checkPackFingerprint(
  dataDir: string,
  pack: ModelPack,
  options: { readOnly?: boolean } = {},
): Promise<FingerprintCheck> {
  const packId = pack.manifest.id;
  const file = new AtomicJsonFile<FingerprintRecord>(
    fingerprintFile(dataDir, packId),
    (json) => recordSchema.parse(json),
    { readOnly: options.readOnly ?? false },
  );
  const recorded = await file.read().catch(() => null);
  const current = packFingerprint(pack);
  const changed = recorded
    ? FINGERPRINT_PARTS.filter((part) => recorded.parts[part] !== current[part])
    : [];
  const reembed = changed.some((part) => EMBEDDING_PARTS.has(part));
  return {
    changed,
    reembed,
    retag: !reembed && changed.length > 0,
    firstRecord: recorded === null,
    described: changed.map((part) => partWords(pack, part)).join(', '),
    record: () =>
      file.write({ format: 1, pack: packId, parts: current, recordedAt: new Date().toISOString() }),
  };
}

function partWords(pack: ModelPack, part: FingerprintPart): string {
  const { model, labels, wordTable, wordMap } = pack.manifest;
  switch (part) {
    case 'model':
      return `the model (${model.file})`;
    case 'input':
      return "pack.json's input section";
    case 'output':
      return "pack.json's output section";
    case 'labels':
      return labels.file;
    case 'labelVectors':
      return `the label vectors (${labels.vectors})`;
    case 'wordTable':
      return `the word table (${wordMap ? `${wordTable.file}, ${wordMap.file}` : wordTable.file})`;
  }
}
