/**
 * The rows of the folder and date browsers (components/TreeView.svelte) made from the engine's
 * folderTree and photoDates answers: "All photos" / "All dates" first, then the library folders
 * with their sub-folders (offline and unreadable photos as notes), or the capture years → months
 * → days and "No date" (files with no date at all noted on "All dates"). Ids are what choosing a row browses: a folder's path, a `taken` period.
 */
import type { FolderNode, FolderTree, PhotoDates } from '../../src-main/engine/api/contract.js';
import { periodName, shortPeriodName } from './periods.js';

/**
 * One row of a tree of photos: its label, photo count, notes (offline, unreadable) and
 * children. A screen reader hears "label hint, N photos, note, note" (e.g. "Day 2, 2 photos,
 * 1 unreadable"; "July 2023, 3 photos" where only "July" shows under its year).
 */
export interface TreeNode {
  id: string;
  label: string;
  /** Words heard after the label but not shown (the year a month belongs to). */
  hint?: string;
  count: number;
  /** Short warnings shown as badges (e.g. "offline", "1 unreadable"). */
  notes?: string[];
  /** Shown on hover (e.g. the full path). */
  title?: string;
  children: TreeNode[];
}

/** The id of the "All photos" and "All dates" rows (no folder path or period is "*"). */
export const ALL = '*';

/** "All photos", then each library folder (an unreachable one noted "offline") and its tree. */
export function folderTreeNodes(tree: FolderTree | null): TreeNode[] {
  const roots = tree?.roots ?? [];
  const total = roots.reduce((sum, r) => sum + r.photos, tree?.outside ?? 0);
  return [
    { id: ALL, label: 'All photos', count: total, children: [] },
    ...roots.map((root) => folderNode(root, !root.online)),
  ];
}

function folderNode(node: FolderNode, offline = false): TreeNode {
  return {
    id: node.path,
    label: node.name,
    count: node.photos,
    notes: [
      ...(offline ? ['offline'] : node.offline ? [`${node.offline} offline`] : []),
      ...(node.failed ? [`${node.failed} unreadable`] : []),
    ],
    title: node.path,
    children: node.children.map((child) => folderNode(child)),
  };
}

/**
 * "All dates" (in this folder; files with no date at all — unreadable, or not read yet — noted
 * there, as they are in no period), then years → months → days, newest first, then "No date".
 */
export function dateTreeNodes(dates: PhotoDates | null, inFolder: boolean): TreeNode[] {
  const node = (id: string, count: number, children: TreeNode[] = [], hint?: string) => ({
    id,
    label: shortPeriodName(id),
    ...(hint && { hint }),
    count,
    children,
  });
  const label = inFolder ? 'All dates in this folder' : 'All dates';
  return [
    {
      id: ALL,
      label,
      count: dates?.total ?? 0,
      notes: [
        ...(dates?.unreadable ? [`${dates.unreadable} unreadable`] : []),
        ...(dates?.waiting ? [`${dates.waiting} not read yet`] : []),
      ],
      children: [],
    },
    ...(dates?.years ?? []).map((y) =>
      node(
        y.year,
        y.photos,
        y.months.map((m) =>
          node(
            m.month,
            m.photos,
            m.days.map((d) => node(d.day, d.photos, [], `, ${periodName(m.month)}`)),
            ` ${y.year}`,
          ),
        ),
      ),
    ),
    ...(dates?.undated ? [node('none', dates.undated)] : []),
  ];
}
