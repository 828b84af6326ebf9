/** Label text normalisation: what two spellings of the same label have in common. */
import { AnytagError } from '../errors.js';
import { normaliseLabel } from '../model/phrase-vector.js';

/** The text rules shared with the word-map fit live in model/phrase-vector.ts. */
export { normaliseLabel, tokenise } from '../model/phrase-vector.js';

export const MAX_LABEL_LENGTH = 100;

/** Double quotes around the whole text ("sunset glow", “sunset glow”). */
const WRAPPING_QUOTES = /^["“”„](.*)["“”]$/s;

/**
 * Normalises and validates user label text, or throws INVALID_INPUT naming what is wrong.
 * Quotes around the whole text are dropped: a search reads `"sunset glow"` as the phrase
 * sunset glow, so a label kept with its quotes could never be found.
 */
export function validLabel(text: string): string {
  const normalised = normaliseLabel(text);
  const label = normaliseLabel(WRAPPING_QUOTES.exec(normalised)?.[1] ?? normalised);
  if (!label)
    throw new AnytagError('INVALID_INPUT', 'A label needs at least one letter or digit', {
      label: text,
    });
  if (label.length > MAX_LABEL_LENGTH) {
    throw new AnytagError('INVALID_INPUT', `A label is at most ${MAX_LABEL_LENGTH} characters`, {
      label: text,
    });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(label)) {
    throw new AnytagError('INVALID_INPUT', 'A label cannot contain control characters', {
      label: text,
    });
  }
  if (!/[\p{L}\p{N}]/u.test(label)) {
    throw new AnytagError('INVALID_INPUT', `"${label}" has no letter or digit`, { label: text });
  }
  return label;
}
