/**
 * The folder browser's tree (library/folder-tree.ts): nested sub-folders made from the photos'
 * own folders, counts that include every sub-folder, offline and unreadable photos counted, each
 * photo under the innermost library folder that holds it, and photos outside every folder.
 */
import { describe, expect, it } from 'vitest';
import { buildFolderTree, type FolderNode } from '../../../src-main/engine/library/folder-tree.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';

const photo = (path: string, state: PhotoRecord['state'] = 'indexed') => ({ path, state });

/** name → [photos, offline, failed], nested as the tree is. */
function shape(node: FolderNode): unknown {
  return {
    [node.name]: [node.photos, node.offline, node.failed],
    ...(node.children.length && { children: node.children.map(shape) }),
  };
}

describe('buildFolderTree', () => {
  it('nests sub-folders and counts each node with everything below it', () => {
    const tree = buildFolderTree(
      [{ path: '/pics', online: true }],
      [
        photo('/pics/a.jpg'),
        photo('/pics/2023/Trip/Day 10/b.jpg'),
        photo('/pics/2023/Trip/Day 2/c.jpg'),
        photo('/pics/2023/Trip/Day 2/d.jpg', 'error'),
        photo('/pics/2023/e.jpg', 'pending'),
        photo('/pics/Home/f.jpg'),
      ],
    );
    expect(tree.outside).toBe(0);
    expect(tree.roots).toHaveLength(1);
    expect(tree.roots[0]).toMatchObject({ path: '/pics', online: true });
    expect(shape(tree.roots[0]!)).toEqual({
      pics: [6, 0, 1],
      children: [
        {
          '2023': [4, 0, 1],
          children: [
            {
              Trip: [3, 0, 1],
              // Numbers in order: Day 2 before Day 10.
              children: [{ 'Day 2': [2, 0, 1] }, { 'Day 10': [1, 0, 0] }],
            },
          ],
        },
        { Home: [1, 0, 0] },
      ],
    });
    const day2 = tree.roots[0]!.children[0]!.children[0]!.children[0]!;
    expect(day2.path).toBe('/pics/2023/Trip/Day 2');
  });

  it('says which library folder is offline and counts its offline photos', () => {
    const tree = buildFolderTree(
      [
        { path: '/pics', online: true },
        { path: '/mnt/drive', online: false },
      ],
      [photo('/mnt/drive/x/1.jpg', 'offline'), photo('/mnt/drive/2.jpg', 'offline')],
    );
    expect(tree.roots.map((r) => [r.path, r.online, r.photos, r.offline])).toEqual([
      ['/pics', true, 0, 0],
      ['/mnt/drive', false, 2, 2],
    ]);
    expect(tree.roots[1]!.children.map((c) => [c.name, c.offline])).toEqual([['x', 1]]);
  });

  it('puts a photo under the innermost library folder and counts those outside all', () => {
    const tree = buildFolderTree(
      [
        { path: '/pics', online: true },
        { path: '/pics/phone', online: true },
      ],
      [photo('/pics/phone/cam/1.jpg'), photo('/pics/2.jpg'), photo('/elsewhere/3.jpg')],
    );
    expect(tree.outside).toBe(1);
    expect(shape(tree.roots[0]!)).toEqual({ pics: [1, 0, 0] });
    expect(shape(tree.roots[1]!)).toEqual({ phone: [1, 0, 0], children: [{ cam: [1, 0, 0] }] });
  });

  it('builds a 20,000-photo tree in one pass', () => {
    const photos = Array.from({ length: 20_000 }, (_, i) =>
      photo(`/pics/${i % 10}/${i % 100}/${i}.jpg`),
    );
    const tree = buildFolderTree([{ path: '/pics', online: true }], photos);
    expect(tree.roots[0]!.photos).toBe(20_000);
    expect(tree.roots[0]!.children).toHaveLength(10);
    expect(tree.roots[0]!.children[3]!.children.map((c) => c.photos)).toEqual(
      Array.from({ length: 10 }, () => 200),
    );
  });
});
