/**
 * The gallery moves a photo whose date indexing just read to its place in date order, as the
 * engine sorts (taken-order.ts ↔ metadata-filter.ts sortByTaken): photos with no date last in
 * both orders.
 */
import { describe, expect, it } from 'vitest';
import type { PhotoSummary } from '../../../src-main/engine/api/contract.js';
import { moveByTaken } from '../../../src-renderer/lib/taken-order.js';

const photo = (name: string, takenMs?: number): PhotoSummary => ({
  id: name,
  path: `/pics/${name}`,
  state: takenMs === undefined ? 'pending' : 'indexed',
  ...(takenMs !== undefined && { takenMs }),
});
const names = (list: readonly (PhotoSummary | undefined)[] | null) => list?.map((p) => p?.id);

describe('moveByTaken', () => {
  it('puts a newly dated photo among the dated ones, the undated staying last', () => {
    // c.jpg was waiting (no date) and indexing read it as the oldest: it moves up from the end.
    const newest = [photo('a', 3000), photo('b', 2000), photo('c', 1000), photo('d'), photo('e')];
    expect(names(moveByTaken(newest, 2))).toEqual(['a', 'b', 'c', 'd', 'e']);
    const read = [photo('a', 3000), photo('b', 2000), photo('d'), photo('e'), photo('c', 1000)];
    expect(names(moveByTaken(read, 4))).toEqual(['a', 'b', 'c', 'd', 'e']);
    const oldest = [photo('c', 1000), photo('d'), photo('e'), photo('a', 3000)];
    expect(names(moveByTaken(oldest, 3, true))).toEqual(['c', 'a', 'd', 'e']);
  });

  it('sends a photo that lost its date (now unreadable) after every dated one', () => {
    const list = [photo('x'), photo('a', 3000), photo('b', 2000), photo('y')];
    expect(names(moveByTaken(list, 0))).toEqual(['a', 'b', 'x', 'y']);
    expect(names(moveByTaken(list, 0, true))).toEqual(['a', 'b', 'x', 'y']);
  });

  it('gives up (null) while some photo is not loaded', () => {
    expect(moveByTaken([photo('a', 1), undefined], 0)).toBeNull();
  });
});
