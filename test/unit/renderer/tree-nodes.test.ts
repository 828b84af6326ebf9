/**
 * The browser rows (src-renderer/lib/tree-nodes.ts): "All photos" counts every photo (those
 * outside the library folders too), an unreachable library folder is noted offline while its
 * sub-folders count their offline photos, unreadable photos are noted; dates nest years →
 * months → days with the hints a screen reader needs, then "No date".
 */
import { describe, expect, it } from 'vitest';
import type { FolderNode } from '../../../src-main/engine/api/contract.js';
import { ALL, dateTreeNodes, folderTreeNodes } from '../../../src-renderer/lib/tree-nodes.js';

const node = (
  path: string,
  photos: number,
  offline = 0,
  failed = 0,
  children: FolderNode[] = [],
): FolderNode => ({
  path,
  name: path.split('/').pop()!,
  photos,
  offline,
  failed,
  children,
});

describe('folder rows', () => {
  it('puts All photos first and notes offline and unreadable photos', () => {
    const rows = folderTreeNodes({
      roots: [
        { ...node('/pics', 5, 0, 1), online: true },
        { ...node('/card', 2, 2, 0, [node('/card/DCIM', 2, 2)]), online: false },
      ],
      outside: 1,
    });
    expect(rows.map((r) => [r.id, r.label, r.count, r.notes ?? []])).toEqual([
      [ALL, 'All photos', 8, []],
      ['/pics', 'pics', 5, ['1 unreadable']],
      ['/card', 'card', 2, ['offline']],
    ]);
    expect(rows[2]!.children.map((c) => [c.label, c.notes, c.title])).toEqual([
      ['DCIM', ['2 offline'], '/card/DCIM'],
    ]);
    expect(folderTreeNodes(null)).toEqual([
      { id: ALL, label: 'All photos', count: 0, children: [] },
    ]);
  });
});

describe('date rows', () => {
  it('nests years, months and days, with the undated last', () => {
    const rows = dateTreeNodes(
      {
        total: 7,
        undated: 1,
        unreadable: 2,
        waiting: 1,
        years: [
          {
            year: '2023',
            photos: 3,
            months: [{ month: '2023-07', photos: 3, days: [{ day: '2023-07-14', photos: 3 }] }],
          },
        ],
      },
      true,
    );
    expect(rows.map((r) => [r.id, r.label, r.count])).toEqual([
      [ALL, 'All dates in this folder', 7],
      ['2023', '2023', 3],
      ['none', 'No date', 1],
    ]);
    // Files with no date at all are in no period: said on "All dates".
    expect(rows[0]!.notes).toEqual(['2 unreadable', '1 not read yet']);
    const july = rows[1]!.children[0]!;
    expect([july.id, july.hint, july.count]).toEqual(['2023-07', ' 2023', 3]);
    const day = july.children[0]!;
    expect(day.id).toBe('2023-07-14');
    expect(day.label).toMatch(/ 14$/);
    expect(day.hint).toMatch(/^, .*2023$/);
    expect(dateTreeNodes(null, false)[0]!.label).toBe('All dates');
    expect(dateTreeNodes(null, false)[0]!.notes).toEqual([]);
  });
});
