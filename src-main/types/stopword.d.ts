/** The part of `stopword` (3.1.5, no types of its own) the engine uses: its English list. */
declare module 'stopword' {
  /** English stopwords, lowercase. */
  export const eng: readonly string[];
}
