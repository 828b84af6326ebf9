import { describe, expect, it } from 'vitest';
import { foldAccents, isStopword, lemmatizer } from '../../../src-main/engine/vocab/word-forms.js';

describe('word forms', () => {
  it('knows English stopwords from the kept list, and nothing else', () => {
    for (const word of ['a', 'the', 'in', 'of', 'with']) expect(isStopword(word)).toBe(true);
    for (const word of ['dog', 'park', 'coffee']) expect(isStopword(word)).toBe(false);
  });

  it('folds accents', () => {
    expect(foldAccents('café')).toBe('cafe');
    expect(foldAccents('Zürich')).toBe('Zurich');
    expect(foldAccents('naïve')).toBe('naive');
    expect(foldAccents('cafe\u0301')).toBe('cafe');
  });

  it('reduces inflections to WordNet base forms, by part of speech, on its worker', async () => {
    const forms = await lemmatizer.lemmas([
      'dogs',
      'leaves',
      'men',
      'mice',
      'running',
      'wedding',
      'dog',
    ]);
    expect(forms.get('dogs')).toEqual({ noun: 'dog', other: [] });
    expect(forms.get('leaves')).toEqual({ noun: 'leaf', other: ['leave'] });
    expect(forms.get('men')?.noun).toBe('man');
    expect(forms.get('mice')?.noun).toBe('mouse');
    expect(forms.get('running')).toEqual({ other: ['run'] });
    expect(forms.get('wedding')).toEqual({ other: ['wed'] });
    expect(forms.get('dog')).toEqual({ other: [] });
    // Asked again: answered from the cache, the same.
    expect((await lemmatizer.lemmas(['dogs'])).get('dogs')).toEqual({ noun: 'dog', other: [] });
  });
});
