/** Label text normalisation: what two spellings of the same label have in common. */
import { AnytagError } from '../errors.js';

export const MAX_LABEL_LENGTH = 100;

/** NFKC, lowercase, inner whitespace collapsed, outer trimmed, underscores read as spaces. */
export function normaliseLabel(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Normalises and validates user label text, or throws INVALID_INPUT naming what is wrong. */
export function validLabel(text: string): string {
  const label = normaliseLabel(text);
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

/**
 * Word-table tokens of a normalised label: words split on spaces; a hyphenated or slashed word
 * is kept whole when the table knows it and split otherwise.
 */
export function tokenise(label: string, known: (word: string) => boolean): string[] {
  const tokens: string[] = [];
  for (const word of label.split(' ')) {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!bare) continue;
    if (known(bare) || !/[-/]/.test(bare)) tokens.push(bare);
    else tokens.push(...bare.split(/[-/]+/).filter(Boolean));
  }
  return tokens;
}
