/** Paths to the project's shared reference data (../shared beside the checkout; never committed). */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const SHARED = path.resolve(
  process.env.ANYTAG_SHARED ?? path.join(REPO_ROOT, '..', 'shared'),
);
export const REFERENCE_PHOTOS = path.join(SHARED, 'reference', 'photos');
export const NUS_WIDE = path.join(SHARED, 'reference', 'nus-wide');
export const STARTER_PACK = path.join(REPO_ROOT, 'resources', 'packs', 'starter');

/** Fails loudly (not a skip) when built data the integration tests need is missing. */
export function requireBuilt(dir: string, how: string): string {
  if (!existsSync(path.join(dir, 'pack.json')) && !existsSync(dir)) {
    throw new Error(`${dir} is missing: ${how}`);
  }
  return dir;
}
