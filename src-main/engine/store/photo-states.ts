/**
 * A photo's life in the catalogue, in one place: every change of state, and what each change
 * keeps. The library, the indexer, the embeddings, limbo and the pack switch call these; none
 * of them sets `state` (or the fields that go with it) themselves.
 *
 *   found ─────────────▶ pending ──indexed──▶ indexed ──file changed──▶ pending
 *                           │  ▲                 │  ╲
 *                        failed│ model failed    │   embedding lost ─▶ pending
 *                           ▼  │                 ▼
 *                         error          (another pack active: re-embed, stays indexed)
 *   any ──folder offline──▶ offline ──folder back──▶ error | indexed | pending (as it was)
 *   moved: same record (id, tags, embedding) under a new path.
 *   any ──folder removed──▶ retired (kept a while) ──same content found again──▶ as it was
 */
import { randomUUID } from 'node:crypto';
import type { ErrorShape } from '../errors.js';
import type { Catalogue } from './catalogue.js';
import type { PhotoRecord, RetiredPhoto } from './catalogue-schema.js';
import type { PhotoMetadataRecord } from './photo-metadata-schema.js';

/** What a file is on disk: its size and modification time. */
export interface FileFacts {
  size: number;
  mtimeMs: number;
}

/** What indexing learnt about a photo. */
export interface IndexedFacts extends FileFacts {
  width: number;
  height: number;
  format: string;
  /** A thumbnail was made. */
  thumb: boolean;
  /** Set when the file is damaged but a lenient decode showed it: the decoder's reason. */
  damaged?: string;
  /** What the file says about itself; absent: what the record holds is kept. */
  metadata?: PhotoMetadataRecord;
}

/** A file found but not indexed yet: recorded at once, so indexing resumes after a crash. */
export function photoFound(
  catalogue: Catalogue,
  file: string,
  facts: Partial<FileFacts> = {},
): PhotoRecord {
  const photo: PhotoRecord = {
    id: randomUUID(),
    path: file,
    size: facts.size ?? 0,
    mtimeMs: facts.mtimeMs ?? 0,
    hash: null,
    state: 'pending',
    tags: [],
  };
  catalogue.addPhoto(photo);
  return photo;
}

/** The file changed on disk: it waits to be indexed again (its tags and matrix stay till then). */
export function fileChanged(catalogue: Catalogue, photo: PhotoRecord): void {
  if (photo.state !== 'pending') catalogue.updatePhoto(photo, { state: 'pending' });
}

/** Indexed: the new facts and hash, no error. Its tags are the vocabulary's (Tagging). */
export function photoIndexed(
  catalogue: Catalogue,
  photo: PhotoRecord,
  facts: IndexedFacts,
  hash: string | null,
): void {
  catalogue.updatePhoto(photo, {
    size: facts.size,
    mtimeMs: facts.mtimeMs,
    width: facts.width,
    height: facts.height,
    format: facts.format,
    state: 'indexed',
    error: undefined,
    thumb: facts.thumb || undefined,
    damaged: facts.damaged,
    ...(facts.metadata && { meta: facts.metadata }),
  });
  catalogue.setHash(photo, hash);
}

/** Its metadata was read again on its own (a library from before v4, or a changed sidecar). */
export function metadataRead(
  catalogue: Catalogue,
  photo: PhotoRecord,
  meta: PhotoMetadataRecord,
): void {
  catalogue.updatePhoto(photo, { meta });
}

/** The file could not be indexed (unreadable, unsupported, too large): state error. */
export function photoFailed(
  catalogue: Catalogue,
  photo: PhotoRecord,
  facts: FileFacts,
  hash: string | null,
  error: Pick<ErrorShape, 'code' | 'message'>,
): void {
  catalogue.updatePhoto(photo, {
    size: facts.size,
    mtimeMs: facts.mtimeMs,
    state: 'error',
    error: { code: error.code, message: error.message },
  });
  catalogue.setHash(photo, hash);
}

/**
 * The model or its worker failed, not the file: the photo keeps its matrix, hash and tags and
 * stays pending, so the next scan or start runs it again.
 */
export function modelFailed(catalogue: Catalogue, photo: PhotoRecord): void {
  catalogue.updatePhoto(photo, { state: 'pending' });
}

/** Same photo, new path (a move or rename): id, tags and embedding go with it. */
export function photoMoved(
  catalogue: Catalogue,
  photo: PhotoRecord,
  to: string,
  facts?: FileFacts,
): void {
  catalogue.movePhoto(photo, to);
  if (facts) catalogue.updatePhoto(photo, { size: facts.size, mtimeMs: facts.mtimeMs });
}

/** Its folder became unreachable (an unplugged drive): tags and matrix are kept. */
export function photoOffline(catalogue: Catalogue, photo: PhotoRecord): void {
  if (photo.state !== 'offline') catalogue.updatePhoto(photo, { state: 'offline' });
}

/** Its folder is back: the state it had, read from what the record holds. */
export function photoOnline(catalogue: Catalogue, photo: PhotoRecord): void {
  if (photo.state !== 'offline') return;
  catalogue.updatePhoto(photo, {
    state: photo.error ? 'error' : photo.embedding ? 'indexed' : 'pending',
  });
}

/** Its matrix is stored in `slot` of the pack's embeddings. */
export function embeddingStored(
  catalogue: Catalogue,
  photo: PhotoRecord,
  pack: string,
  slot: number,
): void {
  catalogue.updatePhoto(photo, { embedding: { pack, slot } });
}

/** Its matrix was dropped (the file failed or left, or the record was unreadable). */
export function embeddingDropped(catalogue: Catalogue, photo: PhotoRecord): void {
  catalogue.updatePhoto(photo, { embedding: undefined });
}

/** Its stored matrix cannot be read back: it is indexed again. */
export function embeddingLost(catalogue: Catalogue, photo: PhotoRecord): void {
  catalogue.updatePhoto(photo, {
    embedding: undefined,
    ...(photo.state === 'indexed' && { state: 'pending' as const }),
  });
}

/** An indexed photo lacking the active pack's matrix: it waits in the re-embed lane. */
export function needsReembedding(photo: PhotoRecord, packId: string): boolean {
  return photo.state === 'indexed' && photo.embedding?.pack !== packId;
}

/** Every photo needing the pack's matrix, oldest record first. */
export function photosToReembed(catalogue: Catalogue, packId: string): PhotoRecord[] {
  return catalogue.photosWithoutEmbedding(packId);
}

/**
 * Its folder was removed: the photo leaves every list, but its record and embedding slot are
 * kept (retired) so the same content found again is revived without the model. Returns the
 * retired record.
 */
export function photoRetired(catalogue: Catalogue, photo: PhotoRecord): RetiredPhoto {
  return catalogue.retirePhoto(photo);
}

/**
 * A retired photo's content turned up again at `file`: it comes back with its id, tags, votes
 * and embedding, in the state its record says (indexed when it has a matrix).
 */
export function photoRevived(
  catalogue: Catalogue,
  record: RetiredPhoto,
  file: string,
  facts: FileFacts,
): PhotoRecord {
  catalogue.dropRetired(record);
  const { retiredAt: _retiredAt, ...kept } = record;
  const photo: PhotoRecord = {
    ...kept,
    path: file,
    size: facts.size,
    mtimeMs: facts.mtimeMs,
    state: kept.error ? 'error' : kept.embedding ? 'indexed' : 'pending',
  };
  catalogue.addPhoto(photo);
  return photo;
}
