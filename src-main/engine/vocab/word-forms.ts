/**
 * Words as a person types them, read the way the pack's labels are written: English stopwords
 * (the `stopword` package's kept list), inflections reduced to their WordNet base forms
 * (`wink-lemmatizer`: WordNet's morphy rules with WordNet 3.1's noun, verb and adjective
 * exception lists), and accents folded (café → cafe). The one owner of both packages.
 *
 * The lemmatizer's lexicon is 3 MB of JavaScript whose loading blocks a thread for a third of
 * a second, so it loads on a worker thread, started on first use (or by `prepare`) and
 * unref'd; a query asks it for all its words in one message.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { eng } from 'stopword';

const STOPWORDS = new Set(eng);

/** A stopword of English ("a", "the", "in", "of" …), by the kept list. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** The text without diacritics, NFC again: "Zürich" → "Zurich", "naïve" → "naive". */
export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC');
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const lemmatize = require(workerData.lemmatizer);
parentPort.on('message', ({ id, words }) => {
  const out = words.map((w) => [lemmatize.noun(w), lemmatize.verb(w), lemmatize.adjective(w)]);
  parentPort.postMessage({ id, out });
});`;

/** A word's WordNet base forms other than itself. */
export interface BaseForms {
  /** As a noun: the singular of a plural ("dogs" → "dog", "men" → "man"). */
  noun?: string;
  /** As a verb or adjective ("running" → "run", "wedding" → "wed"). */
  other: string[];
}

interface Pending {
  resolve: (lemmas: string[][]) => void;
  reject: (error: Error) => void;
}

/** WordNet base forms of words, from a worker thread. */
export class Lemmatizer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly cache = new Map<string, BaseForms>();

  /** Whether the worker (and its lexicon) has been started, by `prepare` or a first query. */
  get started(): boolean {
    return this.worker !== undefined;
  }

  /** Starts the worker (loading the lexicon there) so that the first query finds it ready. */
  prepare(): void {
    this.start();
  }

  /**
   * Per word: its base forms other than itself — as a noun (dogs → dog, leaves → leaf, men →
   * man) and as a verb or adjective (running → run, leaves → leave) — none when it is a base
   * form or unknown.
   */
  async lemmas(words: readonly string[]): Promise<Map<string, BaseForms>> {
    const out = new Map<string, BaseForms>();
    const asked = [...new Set(words)].filter((w) => {
      const known = this.cache.get(w);
      if (known) out.set(w, known);
      return !known;
    });
    if (asked.length === 0) return out;
    const found = await this.ask(asked);
    asked.forEach((word, i) => {
      const [noun, verb, adjective] = found[i]!;
      const forms: BaseForms = {
        ...(noun && noun !== word && { noun }),
        other: [...new Set([verb, adjective])].filter(
          (f): f is string => !!f && f !== word && f !== noun,
        ),
      };
      this.cache.set(word, forms);
      out.set(word, forms);
    });
    return out;
  }

  private ask(words: string[]): Promise<string[][]> {
    const worker = this.start();
    const id = this.nextId++;
    // Held (ref'd) only while a question is out, so an idle worker never keeps a process alive.
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, words });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const lemmatizer = createRequire(import.meta.url).resolve('wink-lemmatizer');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { lemmatizer } });
    worker.on('message', ({ id, out }: { id: number; out: string[][] }) => {
      this.pending.get(id)?.resolve(out);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      this.worker = undefined;
    });
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** The process's one lemmatizer (its worker is shared by every pack). */
export const lemmatizer = new Lemmatizer();
