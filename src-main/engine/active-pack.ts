/**
 * The active pack, opened: the validated pack, its word vectors, the vocabulary on it, its
 * embedding store with the in-memory search index, and the tagging that keeps photos' tags in
 * step. `openActivePack` puts them together once per pack (the Engine shares the one load), and
 * applies what changed in the pack since its photos were embedded or tagged (pack-change.ts).
 */
import type { SearchIndex } from './index/search-index.js';
import { PackEmbeddings } from './index/pack-embeddings.js';
import { applyPackChange } from './index/pack-change.js';
import { checkPackFingerprint } from './index/pack-fingerprint.js';
import { Tagging } from './index/tagging.js';
import type { ModelPack } from './model/pack.js';
import type { Catalogue } from './store/catalogue.js';
import type { EmbeddingStore } from './store/embedding-store.js';
import { TermVectors } from './vocab/term-vectors.js';
import { Vocabulary } from './vocab/vocabulary.js';
import { lemmatizer } from './vocab/word-forms.js';

export interface ActivePack {
  pack: ModelPack;
  terms: TermVectors;
  readonly store: EmbeddingStore;
  searchIndex: SearchIndex;
  embeddings: PackEmbeddings;
  /** Labels, aliases, thresholds and votes for this pack; tagging keeps photos' tags in step. */
  vocabulary: Vocabulary;
  tagging: Tagging;
}

export interface ActivePackContext {
  dataDir: string;
  catalogue: Catalogue;
  /** A long-lived engine (the app, serve): spelling suggestions are built in the background. */
  watch: boolean;
  /** Load query reading's lexicon in the background (EngineOptions.prepareQueries). */
  prepareQueries: boolean;
  /** Full calibrations wait while photos keep coming (EngineOptions.deferCalibration). */
  deferCalibration: boolean;
  /** Says what had to be repaired or set aside (the engine's notices). */
  notify: (message: string) => void;
}

/**
 * Opens `pack` (validated by the caller) as the active pack: its embeddings (re-embedding noted
 * when its model changed), vocabulary and tagging; then re-tags or re-embeds what the pack's
 * fingerprint says changed. The caller makes it the engine's active pack before that last step
 * runs through `onOpened`, so a re-tag already sees it.
 */
export async function openActivePack(
  pack: ModelPack,
  context: ActivePackContext,
  onOpened: (active: ActivePack) => void,
): Promise<ActivePack> {
  const { dataDir, catalogue, notify } = context;
  const { k, d } = pack.manifest.output;
  const readOnly = catalogue.readOnly;
  const fingerprint = await checkPackFingerprint(dataDir, pack, { readOnly });
  const embeddings = await PackEmbeddings.open(
    dataDir,
    catalogue,
    pack.manifest.id,
    k,
    d,
    pack.manifest.model.sha256,
    notify,
    fingerprint.reembed && !readOnly ? fingerprint.described : undefined,
  );
  const terms = new TermVectors(pack);
  // Query reading's helpers, in the background: the lemmatizer's lexicon (loaded on its worker
  // thread) and, for a long-lived engine (the app, serve), spelling suggestions (built in
  // slices that yield). A one-shot CLI command keeps the word table unread until a word needs
  // it: an unknown word's suggestions then wait for the index (api/unknown-words.ts).
  if (context.watch) void pack.wordTable.prepareSpelling().catch(() => undefined);
  if (context.prepareQueries) lemmatizer.prepare();
  const vocabulary = new Vocabulary(catalogue.vocabulary, pack, terms, () =>
    catalogue.vocabularyChanged(),
  );
  const active: ActivePack = {
    pack,
    terms,
    vocabulary,
    tagging: new Tagging(catalogue, embeddings.searchIndex, vocabulary, {
      deferCalibration: context.deferCalibration,
    }),
    get store() {
      return embeddings.store;
    },
    searchIndex: embeddings.searchIndex,
    embeddings,
  };
  onOpened(active);
  await applyPackChange(fingerprint, {
    packId: pack.manifest.id,
    catalogue,
    searchIndex: embeddings.searchIndex,
    tagging: active.tagging,
    notify,
  });
  return active;
}
