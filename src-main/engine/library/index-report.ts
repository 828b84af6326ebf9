/**
 * What `indexPaths` answers for the paths it was given: the queue's counts, the files the scans
 * left out (with why) and the photos that failed (with why), each within those paths; lists are
 * cut at MAX_LISTED, with their full counts beside.
 */
import path from 'node:path';
import { isInside } from '../paths.js';
import type { Catalogue } from '../store/catalogue.js';
import { MAX_LISTED, type IndexProgress, type IndexReport } from './indexer.js';
import type { ScanResult } from './scan.js';

/** The report for `paths`, from the queue's `progress` and the scans' `skipped` files by folder. */
export function indexReport(
  paths: readonly string[],
  progress: IndexProgress,
  skipped: ReadonlyMap<string, ScanResult['skipped']>,
  catalogue: Catalogue,
): IndexReport {
  const roots = paths.map((given) => path.resolve(given));
  const leftOut = [...skipped]
    .filter(([folder]) => roots.some((root) => isInside(root, folder) || isInside(folder, root)))
    .flatMap(([, files]) => files)
    .filter((s) => roots.some((root) => isInside(root, s.path)));
  const failures = catalogue
    .photosInState('error')
    .filter((p) => roots.some((root) => isInside(root, p.path)))
    .map((p) => ({
      path: p.path,
      code: p.error?.code ?? 'UNKNOWN',
      message: p.error?.message ?? '',
    }));
  return {
    ...progress,
    // Unchanged files that failed before are counted as failures, not as unchanged photos.
    unchanged: Math.max(0, progress.skipped - (failures.length - progress.failed)),
    leftOut: leftOut.slice(0, MAX_LISTED),
    leftOutCount: leftOut.length,
    failures: failures.slice(0, MAX_LISTED),
    failedCount: failures.length,
  };
}
