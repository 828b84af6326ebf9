/**
 * The API: validates each call's input against the contract, then runs it on the engine.
 * Transports call `api.call(method, rawInput)` and subscribe with `api.on(event, listener)`.
 */
import { EventEmitter } from 'node:events';
import {
  apiInputSchemas,
  type ApiEventName,
  type ApiEvents,
  type ApiMethod,
  type ApiParsedInput,
  type ApiResults,
  type PackSummary,
  type PhotoSummary,
} from './api-contract.js';
import type { Engine } from './engine.js';
import { AnytagError } from './errors.js';
import { scoreWithRow } from './index/scoring.js';
import { round } from './index/tagger.js';
import type { PhotoRecord } from './store/catalogue-schema.js';
import { forwardLibraryEvents, libraryHandlers } from './library/library-api.js';
import { listPhotos } from './app-support/photo-list.js';
import { runtimeSettingsHandlers } from './app-support/runtime-settings.js';
import { describeIssues } from './model/pack-schema.js';
import { isWriteMethod } from './method-effects.js';
import { readOnlyError } from './store/data-folder.js';
import { packHandlers } from './model/pack-api.js';
import type { PackManagerOptions } from './model/pack-manager.js';
import { vocabularyHandlers } from './vocab/vocabulary-api.js';

const ANY_EVENT = Symbol('any API event');

type Handlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiResults[M]> };

export class Api {
  private readonly events = new EventEmitter();
  private readonly handlers: Handlers;

  constructor(
    readonly engine: Engine,
    options: { packs?: PackManagerOptions } = {},
  ) {
    this.handlers = {
      status: () => this.status(),
      ...packHandlers(engine, (event, payload) => this.emit(event, payload), options.packs),
      indexPaths: ({ paths }) => engine.indexPaths(paths),
      photoTags: (input) => this.photoTags(input),
      ...libraryHandlers(engine),
      listPhotos: async (input) => listPhotos(engine.catalogue, input, photoSummaryOf),
      ...runtimeSettingsHandlers(engine),
      ...vocabularyHandlers(engine, photoSummaryOf),
    };
    forwardLibraryEvents(engine, (event, payload) => this.emit(event, payload), photoSummaryOf);
  }

  /**
   * Parses `input` with the method's schema (INVALID_INPUT naming the field) and runs it. A
   * change (method-effects.ts) is refused with READ_ONLY on a read-only engine, and otherwise
   * answers only once it is on disk: a failed save (ENOSPC, EROFS, …) is the call's error.
   */
  async call<M extends ApiMethod>(method: M, input: unknown): Promise<ApiResults[M]> {
    if (!Object.hasOwn(apiInputSchemas, method)) {
      throw new AnytagError('INVALID_INPUT', `Unknown method "${String(method)}"`, {
        methods: Object.keys(apiInputSchemas),
      });
    }
    const parsed = apiInputSchemas[method].safeParse(input ?? {});
    if (!parsed.success) {
      throw new AnytagError('INVALID_INPUT', `${method}: ${describeIssues(parsed.error)}`, {
        method,
      });
    }
    const handler = this.handlers[method] as (input: unknown) => Promise<ApiResults[M]>;
    if (!isWriteMethod(method)) return handler(parsed.data);
    const readOnly = this.engine.dataFolder.readOnly;
    if (readOnly) throw readOnlyError(readOnly, method);
    const result = await handler(parsed.data);
    await this.engine.catalogue.flush();
    return result;
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  /** Every event, with its name: what transports (SSE, IPC) forward without per-event glue. */
  onAny(listener: <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void): () => void {
    const forward = (event: ApiEventName, payload: ApiEvents[ApiEventName]): void =>
      listener(event, payload);
    this.events.on(ANY_EVENT, forward);
    return () => this.events.off(ANY_EVENT, forward);
  }

  private emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    this.events.emit(event, payload);
    this.events.emit(ANY_EVENT, event, payload);
  }

  private async status(): Promise<ApiResults['status']> {
    const photos = this.engine.catalogue.photos();
    let pack: PackSummary | null = null;
    try {
      const { pack: active } = await this.engine.activePack();
      pack = {
        ...packSummaryOf({ dir: active.dir, manifest: active.manifest }),
        labels: active.labels.length,
      };
    } catch (error) {
      if (!(error instanceof AnytagError && error.code === 'PACK_NOT_FOUND')) throw error;
    }
    return {
      dataDir: this.engine.options.dataDir,
      pack,
      provider: this.engine.provider ?? null,
      photos: {
        total: photos.length,
        indexed: photos.filter((p) => p.state === 'indexed').length,
        failed: photos.filter((p) => p.state === 'error').length,
      },
      folders: this.engine.catalogue.data.folders.map((f) => f.path),
      ...(this.engine.notices.length > 0 && { notices: [...this.engine.notices] }),
    };
  }

  private async photoTags({
    photo: ref,
    labels,
  }: ApiParsedInput<'photoTags'>): Promise<ApiResults['photoTags']> {
    const catalogue = this.engine.catalogue;
    const photo = catalogue.photoById(ref) ?? catalogue.photoByPath(ref);
    if (!photo)
      throw new AnytagError('NOT_FOUND', `No photo "${ref}" in the catalogue`, { photo: ref });
    const { pack, terms } = await this.engine.activePack();
    const extra = [];
    if (labels.length > 0) {
      const matrix = await this.engine.matrixOf(photo.id);
      const { k, d } = pack.manifest.output;
      for (const label of labels) {
        const term = terms.resolve(label);
        const { score, row } = scoreWithRow(matrix, k, d, term.vector);
        extra.push({ label: term.text, score: round(score), seen: term.source === 'seen', row });
      }
    }
    return { photo: photoSummaryOf(photo), pack: pack.manifest.id, tags: photo.tags, extra };
  }
}

export function photoSummaryOf(photo: PhotoRecord): PhotoSummary {
  const summary: PhotoSummary = { id: photo.id, path: photo.path, state: photo.state };
  if (photo.width !== undefined) summary.width = photo.width;
  if (photo.height !== undefined) summary.height = photo.height;
  if (photo.error) summary.error = photo.error;
  return summary;
}

function packSummaryOf(entry: {
  dir: string;
  manifest: PackSummaryManifest | null;
  problem?: string;
}): PackSummary {
  if (!entry.manifest)
    return { id: '', name: '', dir: entry.dir, k: 0, d: 0, problem: entry.problem ?? 'invalid' };
  const { id, name, output } = entry.manifest;
  return { id, name, dir: entry.dir, k: output.k, d: output.d };
}

type PackSummaryManifest = { id: string; name: string; output: { k: number; d: number } };
