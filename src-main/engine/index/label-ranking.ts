/**
 * A photo's full ranking: every seen label of the pack scored against the photo's matrix,
 * s(w) = max_k ⟨A_k, w⟩, best first, with no threshold, vocabulary or tie-banding applied — the
 * raw model output, so anyone can compare the app with another pipeline (e.g. PyTorch + Pillow).
 *
 * The matrix comes from the embedding store when the photo is in the catalogue with an embedding
 * for the active pack; otherwise the file (an absolute path) is decoded and run through the
 * model now, and nothing is added to the catalogue.
 */
import path from 'node:path';
import { AnytagError, type ErrorShape } from '../errors.js';
import type { ModelPack } from '../model/pack.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { TermVectors } from '../vocab/term-vectors.js';
import { scoreLabels, scoreWithRow, topIndices } from './scoring.js';

export interface RankedLabel {
  label: string;
  /** s(w) = max_k ⟨A_k, w⟩, unrounded. */
  score: number;
  /** true: a pack label; false: an extra label built from the word table. */
  seen: boolean;
  /** The principal vector (0 … K−1) that gave the maximum. */
  row: number;
}

export interface LabelRanking {
  /** The catalogue id (absent for a file outside the library) and the path. */
  photo: { id?: string; path: string };
  pack: string;
  /** "stored": the embedding store's matrix; "file": the file run through the model now. */
  source: 'stored' | 'file';
  /** The pack's seen labels, best first (the first `limit`, or all of them). */
  labels: RankedLabel[];
  /** How many seen labels the pack has. */
  total: number;
  /** The extra labels asked for, scored against the same matrix, in the order asked. */
  extra: RankedLabel[];
}

/** The seen labels of `pack` by score against one [k, d] matrix, best first (ties: pack order). */
export function rankSeenLabels(
  pack: ModelPack,
  matrix: Float32Array,
  limit = Infinity,
): RankedLabel[] {
  const { k, d } = pack.manifest.output;
  const scores = scoreLabels(matrix, k, d, pack.labelVectors);
  return topIndices(scores, Math.min(limit, pack.labels.length)).map((i) => {
    const { score, row } = scoreWithRow(
      matrix,
      k,
      d,
      pack.labelVectors.subarray(i * d, (i + 1) * d),
    );
    return { label: pack.labels[i]!.name, score, seen: true, row };
  });
}

/** What rankPhotoLabels needs from the engine, and nothing more. */
export interface RankingSources {
  /** A catalogued photo by id or absolute path. */
  findPhoto(ref: string): PhotoRecord | undefined;
  activePack(): Promise<{ pack: ModelPack; terms: TermVectors }>;
  /** The stored [k, d] matrix of a catalogued photo for the active pack. */
  storedMatrix(photoId: string): Promise<Float32Array>;
  /** Decodes `file` (the pack's one decode path) and runs the model on it. */
  embedFile(
    file: string,
  ): Promise<{ ok: true; matrix: Float32Array } | { ok: false; error: ErrorShape }>;
}

/**
 * Ranks a photo's labels. `ref`: a catalogue id or an absolute path (catalogued or not).
 * Errors: NOT_FOUND (neither a catalogued photo nor an absolute path), the IMAGE_* / IO error of
 * a file that cannot be decoded, UNKNOWN_WORD for an extra label the word table lacks.
 */
export async function rankPhotoLabels(
  sources: RankingSources,
  input: { photo: string; limit?: number; labels: readonly string[] },
): Promise<LabelRanking> {
  const { pack, terms } = await sources.activePack();
  const extraTerms = input.labels.map((label) => terms.resolve(label));
  const photo = sources.findPhoto(input.photo);
  let matrix: Float32Array;
  let source: LabelRanking['source'];
  if (photo?.embedding?.pack === pack.manifest.id) {
    matrix = await sources.storedMatrix(photo.id);
    source = 'stored';
  } else {
    const file = photo?.path ?? input.photo;
    if (!path.isAbsolute(file)) {
      throw new AnytagError(
        'NOT_FOUND',
        `No photo "${input.photo}" in the catalogue, and it is not an absolute file path`,
        { photo: input.photo },
      );
    }
    const result = await sources.embedFile(file);
    if (!result.ok)
      throw new AnytagError(result.error.code, result.error.message, result.error.details);
    matrix = result.matrix;
    source = 'file';
  }
  const { k, d } = pack.manifest.output;
  return {
    photo: photo ? { id: photo.id, path: photo.path } : { path: input.photo },
    pack: pack.manifest.id,
    source,
    labels: rankSeenLabels(pack, matrix, input.limit),
    total: pack.labels.length,
    extra: extraTerms.map((term) => ({
      label: term.text,
      ...scoreWithRow(matrix, k, d, term.vector),
      seen: term.source === 'seen',
    })),
  };
}
