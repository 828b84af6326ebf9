/**
 * The folder browser's tree: each library folder with the sub-folders that hold photos, nested,
 * each node counting the photos in it and all its sub-folders, and how many of those are offline
 * (their drive unreachable) or unreadable (state error). One pass over the photos counts each
 * photo's own folder; the tree is then built from those folders and summed bottom-up:
 * O(photos + folders × depth), never a scan per node. Folders without photos (none below either)
 * are not listed: the tree comes from the catalogue, not from the disk.
 */
import path from 'node:path';
import { isInside } from '../paths.js';
import type { FolderRecord, PhotoRecord } from '../store/catalogue-schema.js';

export interface FolderNode {
  /** Absolute path. */
  path: string;
  /** The last part of the path (the root folder "/": the path itself). */
  name: string;
  /** Photos in this folder and every folder below it. */
  photos: number;
  /** Of those, photos whose folder is unreachable (an unplugged drive): tags kept, no file. */
  offline: number;
  /** Of those, photos that could not be read (state error). */
  failed: number;
  /** Sub-folders holding photos, by name (numbers in order). */
  children: FolderNode[];
}

export interface FolderTreeRoot extends FolderNode {
  /** The library folder is reachable (false: its drive is unplugged or gone). */
  online: boolean;
}

export interface FolderTree {
  /** The library folders, in the order they were added. */
  roots: FolderTreeRoot[];
  /** Photos under no library folder (single files indexed on their own). */
  outside: number;
}

/** Photos counted in one folder: all, offline, unreadable. */
export type FolderCounts = Pick<FolderNode, 'photos' | 'offline' | 'failed'>;
type Counts = FolderCounts;

/** The tree of `photos` under the library folders `roots` (see the header). */
export function buildFolderTree(
  roots: readonly Pick<FolderRecord, 'path' | 'online'>[],
  photos: Iterable<Pick<PhotoRecord, 'path' | 'state'>>,
): FolderTree {
  // Pass 1: each photo counted in its own folder.
  const own = new Map<string, Counts>();
  for (const photo of photos) {
    const dir = path.dirname(photo.path);
    let counts = own.get(dir);
    if (!counts) own.set(dir, (counts = { photos: 0, offline: 0, failed: 0 }));
    counts.photos++;
    if (photo.state === 'offline') counts.offline++;
    else if (photo.state === 'error') counts.failed++;
  }
  return folderTreeOf(roots, own);
}

/**
 * The tree from the photos counted in their own folders (`own`, by folder path: as
 * buildFolderTree's first pass, or the photo table's, store/photo-order.ts folderCounts).
 */
export function folderTreeOf(
  roots: readonly Pick<FolderRecord, 'path' | 'online'>[],
  own: ReadonlyMap<string, Counts>,
): FolderTree {
  const tree: FolderTree = {
    roots: roots.map((r) => ({
      ...emptyNode(r.path, path.basename(r.path) || r.path),
      online: r.online,
    })),
    outside: 0,
  };
  // Deepest library folder first, so a photo belongs to the innermost one that holds it.
  const byDepth = [...tree.roots].sort((a, b) => b.path.length - a.path.length);
  const nodes = new Map<string, FolderNode>(tree.roots.map((r) => [r.path, r]));
  // Pass 2: each folder with photos hung under its library folder, making the folders between.
  for (const [dir, counts] of own) {
    const root = byDepth.find((r) => isInside(r.path, dir));
    if (!root) {
      tree.outside += counts.photos;
      continue;
    }
    add(nodeAt(dir, root, nodes), counts);
  }
  for (const root of tree.roots) sumDown(root);
  return tree;
}

function emptyNode(dir: string, name: string): FolderNode {
  return { path: dir, name, photos: 0, offline: 0, failed: 0, children: [] };
}

/** The node of `dir` (inside `root`), made with its missing parents on first use. */
function nodeAt(dir: string, root: FolderNode, nodes: Map<string, FolderNode>): FolderNode {
  const found = nodes.get(dir);
  if (found) return found;
  const parent = dir === root.path ? root : nodeAt(path.dirname(dir), root, nodes);
  const node = emptyNode(dir, path.basename(dir));
  parent.children.push(node);
  nodes.set(dir, node);
  return node;
}

function add(into: Counts, counts: Counts): void {
  into.photos += counts.photos;
  into.offline += counts.offline;
  into.failed += counts.failed;
}

/** Adds each node's descendants' counts into it and sorts its children by name. */
function sumDown(node: FolderNode): void {
  node.children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  for (const child of node.children) {
    sumDown(child);
    add(node, child);
  }
}
