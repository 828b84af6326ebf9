import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import { PHOTO_TABLE_FILE, PhotoTable } from '../../../src-main/engine/store/photo-table.js';
import { tempDir } from '../../helpers/temp.js';

function photo(i: number): PhotoRecord {
  return {
    id: `id-${i}`,
    path: `/p/${i}.jpg`,
    size: i,
    mtimeMs: i,
    hash: `h${i}`,
    state: 'indexed',
    tags: [{ label: `t${i}`, score: 0.5, seen: true, row: 0 }],
  };
}

describe('photo table writer thread', () => {
  it('commits writes in order on its own connection, seen by the reading one once resolved', async () => {
    const dir = await tempDir();
    const table = PhotoTable.open(dir);
    await Promise.all([
      table.write({ put: [photo(0), photo(1)], remove: [] }),
      table.write({ put: [photo(2)], remove: ['id-0'], generations: new Map([['a', 3]]) }),
    ]);
    expect([...table.records()].map((p) => [p.id, p.tags[0]!.label])).toEqual([
      ['id-1', 't1'],
      ['id-2', 't2'],
    ]);
    expect(table.generations()).toEqual(new Map([['a', 3]]));
    await table.close();
    // The thread's connection closed last: the WAL was checkpointed into the file and removed.
    expect(existsSync(path.join(dir, `${PHOTO_TABLE_FILE}-wal`))).toBe(false);
  });

  it('applies nothing of a failed write and says why', async () => {
    const dir = await tempDir();
    const table = PhotoTable.open(dir);
    await table.write({ put: [photo(0)], remove: [] });
    const broken = { ...photo(2), state: null } as unknown as PhotoRecord; // NOT NULL column
    const failed = table.write({ put: [photo(1), broken], remove: ['id-0'] });
    await expect(failed).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    expect([...table.records()].map((p) => p.id)).toEqual(['id-0']);
    // The thread goes on writing after a failure.
    await table.write({ put: [photo(3)], remove: [] });
    expect(table.count()).toBe(2);
    await table.close();
  });
});
