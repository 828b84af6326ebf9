import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { directoryHandlers } from '../../../src-main/engine/api/directories.js';
import { apiInputSchemas } from '../../../src-main/engine/api/contract.js';
import { expandHome } from '../../../src-main/engine/paths.js';
import { tempDir } from '../../helpers/temp.js';

describe('listDirectories', () => {
  it('lists the visible sub-folders of the home folder by default, by name', async () => {
    const home = await tempDir();
    for (const name of ['Pictures', 'Documents', '.cache']) await mkdir(path.join(home, name));
    await writeFile(path.join(home, 'notes.txt'), 'not a folder');
    const { listDirectories } = directoryHandlers(home);
    const listing = await listDirectories(apiInputSchemas.listDirectories.parse({}));
    expect(listing).toMatchObject({ path: home, home, more: false });
    expect(listing.folders).toEqual([
      { name: 'Documents', path: path.join(home, 'Documents') },
      { name: 'Pictures', path: path.join(home, 'Pictures') },
    ]);
    expect(listing.parent).toBe(path.dirname(home));
  });

  it('expands ~ and takes relative paths from home; a missing folder is NOT_FOUND', async () => {
    const home = await tempDir();
    await mkdir(path.join(home, 'Pictures', '2024'), { recursive: true });
    const { listDirectories } = directoryHandlers(home);
    const tilde = await listDirectories({ path: '~/Pictures' });
    expect(tilde.path).toBe(path.join(home, 'Pictures'));
    expect(tilde.folders.map((f) => f.name)).toEqual(['2024']);
    expect((await listDirectories({ path: 'Pictures' })).path).toBe(path.join(home, 'Pictures'));
    await expect(listDirectories({ path: '~/nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(apiInputSchemas.listDirectories.safeParse({ path: '' }).success).toBe(false);
  });

  it('expandHome keeps absolute paths and expands ~ alone', () => {
    expect(expandHome('~', '/home/me')).toBe('/home/me');
    expect(expandHome(' ~/Trips ', '/home/me')).toBe('/home/me/Trips');
    expect(expandHome('/mnt/photos', '/home/me')).toBe('/mnt/photos');
    expect(expandHome('Trips/2024', '/home/me')).toBe('/home/me/Trips/2024');
  });
});
