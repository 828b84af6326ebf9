/**
 * The API: validates each call's input against the contract, then runs it on the handler that
 * owns the method. Transports call `api.call(method, rawInput)` and subscribe with
 * `api.on(event, listener)` or `api.onAny(listener)`. This is the composition root: it hands each
 * handler module only the parts of the engine it needs.
 */
import { EventEmitter } from 'node:events';
import {
  apiInputSchemas,
  apiMethodOf,
  type ApiEventName,
  type ApiEvents,
  type ApiMethod,
  type ApiParsedInput,
  type ApiResults,
} from './contract.js';
import type { Engine } from '../engine.js';
import { PackInstaller, type PackManagerOptions } from '../model/pack-installer.js';
import { rankPhotoLabels } from '../index/label-ranking.js';
import { browseHandlers } from './browse.js';
import { directoryHandlers } from './directories.js';
import { exportHandlers } from './export-tags.js';
import { forwardLibraryEvents, libraryHandlers } from './library.js';
import { packHandlers } from './packs.js';
import { photoLabelHandlers } from './photo-labels.js';
import { photoHandlers } from './photos.js';
import { reviewHandlers } from './review.js';
import { savedSearchHandlers } from './saved-searches.js';
import { runtimeSettingsHandlers } from './runtime-settings.js';
import { searchHandlers } from './search.js';
import { statusHandlers } from './status.js';
import { withSuggestions } from './unknown-words.js';
import { inputIssuePhrase, invalidInput } from './input-errors.js';
import { tagWritingHandlers } from './tag-writing.js';
import { vocabularyHandlers } from './vocabulary.js';
import { isWriteMethod } from './method-effects.js';
import { readOnlyError } from '../store/data-folder.js';

const ANY_EVENT = Symbol('any API event');

/** One handler per contract method, taking the parsed input. */
export type Handlers<M extends ApiMethod = ApiMethod> = {
  [K in M]: (input: ApiParsedInput<K>) => Promise<ApiResults[K]>;
};

export type Emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

export class Api {
  private readonly events = new EventEmitter();
  private readonly handlers: Handlers;

  constructor(
    readonly engine: Engine,
    options: { packs?: PackManagerOptions } = {},
  ) {
    const emit: Emit = (event, payload) => this.emit(event, payload);
    const { catalogue } = engine;
    const active = () => engine.activePack();
    const matrixOf = (id: string) => engine.matrixOf(id);
    this.handlers = {
      ...statusHandlers(engine),
      ...packHandlers(new PackInstaller(engine, options.packs), engine, emit),
      indexPaths: ({ paths }) => engine.indexPaths(paths),
      rankLabels: (input) =>
        rankPhotoLabels(
          {
            findPhoto: (ref) => catalogue.photoById(ref) ?? catalogue.photoByPath(ref),
            activePack: active,
            storedMatrix: matrixOf,
            embedFile: async (file) => (await (await engine.embedder()).embed([file]))[0]!,
          },
          input,
        ),
      ...photoHandlers({ catalogue, active, matrixOf }),
      ...libraryHandlers(() => engine.library()),
      ...directoryHandlers(),
      ...runtimeSettingsHandlers(engine),
      ...vocabularyHandlers({ catalogue, active, matrixOf }),
      ...photoLabelHandlers({ catalogue, active, matrixOf }),
      ...reviewHandlers({ catalogue, active }),
      ...savedSearchHandlers(catalogue, (input) => this.call('search', input)),
      ...searchHandlers({ catalogue, active }),
      ...exportHandlers(catalogue),
      ...browseHandlers(catalogue),
      ...tagWritingHandlers({
        library: () => engine.library(),
        tagWriter: () => engine.tagWriter,
        scheduleWrite: () => engine.scheduleTagWrite(),
      }),
    };
    forwardLibraryEvents(engine.libraryEvents, emit);
  }

  /**
   * Runs `method` (NOT_FOUND when the contract has no such method) on `input` parsed with the
   * method's schema (INVALID_INPUT: a plain sentence naming the field, input-errors.ts). A change (method-effects.ts) is refused
   * with READ_ONLY on a read-only engine, and otherwise answers only once it is on disk: a
   * failed save (ENOSPC, EROFS, …) is the call's error.
   */
  async call<M extends ApiMethod>(method: M, input: unknown): Promise<ApiResults[M]> {
    apiMethodOf(method);
    const parsed = apiInputSchemas[method].safeParse(input ?? {}, { error: inputIssuePhrase });
    if (!parsed.success) throw invalidInput(method, parsed.error);
    const handler = this.handlers[method] as (input: unknown) => Promise<ApiResults[M]>;
    try {
      if (!isWriteMethod(method)) return await handler(parsed.data);
      const readOnly = this.engine.dataFolder.readOnly;
      if (readOnly) throw readOnlyError(readOnly, method);
      const result = await handler(parsed.data);
      await this.engine.catalogue.flush();
      return result;
    } catch (error) {
      throw await withSuggestions(
        error,
        async () => (await this.engine.activePack()).pack.wordTable,
      );
    }
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
}
