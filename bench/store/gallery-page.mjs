// The store bench's gallery case (bench/store/index.mjs --gallery-rounds): the first gallery page
// (PAGE photos, newest taken first, as the renderer asks, src-renderer/lib/state/browse.svelte.ts)
// right after the catalogue opens, in a fresh process, two ways:
//   memory: as api/photos.ts listPhotos did before the photo table had sort columns: every record
//           read (Catalogue.allPhotos), filtered, ordered by index/metadata-filter.ts sortByTaken;
//   table:  Catalogue.savedOrder().page (store/photo-order.ts: SQL on the taken_ms index; the page's ties
//           read whole), then the same for one folder's first page and a page half way down.
// Each reports wall-clock ms and the RSS (MiB) after, plus the open's.
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { importBuilt } from '../lib/build.mjs';

const PAGE = 500;
const round1 = (x) => Math.round(x * 10) / 10;
const mib = (bytes) => round1(bytes / 2 ** 20);

/** One gallery case (`mode` memory or table) on the table of `count` photos in `dir`. */
export async function galleryCase(dir, count, mode) {
  const { Catalogue } = await importBuilt('store/catalogue.js');
  const { sortByTaken } = await importBuilt('index/metadata-filter.js');
  const { photoSummaryOf } = await importBuilt('api/photo-summary.js');
  let started = performance.now();
  const catalogue = await Catalogue.open(dir, { debounceMs: 1000 });
  const openMs = round1(performance.now() - started);
  const rssAfterOpenMiB = mib(process.memoryUsage().rss);
  const timedPage = async (page) => {
    started = performance.now();
    const photos = (await page()).map(photoSummaryOf);
    const ms = round1(performance.now() - started);
    if (photos.length !== PAGE) throw new Error(`a page of ${photos.length} photos`);
    return { ms, rssAfterMiB: mib(process.memoryUsage().rss), first: photos[0].path };
  };
  const result = { mode, photos: count, openMs, rssAfterOpenMiB };
  if (mode === 'memory') {
    result.firstPage = await timedPage(async () =>
      sortByTaken(await catalogue.allPhotos(), 'newest').slice(0, PAGE),
    );
  } else {
    // As api/photos.ts listPhotos.
    const page = async (query) => {
      const order = await catalogue.savedOrder();
      const { ids } = order.page({ sort: 'taken-desc', offset: 0, limit: PAGE, ...query });
      return ids.map((id) => catalogue.photoById(id));
    };
    result.firstPage = await timedPage(() => page({}));
    result.folderFirstPage = await timedPage(() => page({ folder: '/home/user/Pictures/2003' }));
    result.halfWayPage = await timedPage(() => page({ offset: Math.floor(count / 2) }));
  }
  result.peakRssMiB = mib(process.resourceUsage().maxRSS * 1024);
  await catalogue.close();
  return result;
}

/**
 * A copy of the table in `from` at `to`, taken back to layout 2 (before the sort columns), for
 * upgradeCase: what a catalogue written by the previous Anytag looks like.
 */
export async function layout2Copy(from, to) {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from))
    await copyFile(path.join(from, name), path.join(to, name));
  const db = new Database(path.join(to, 'photos.sqlite'));
  db.exec(`DROP INDEX photos_taken; DROP INDEX photos_mtime; DROP INDEX photos_path_keys;
    DROP INDEX photos_capture_day; ALTER TABLE photos DROP COLUMN taken_ms;
    ALTER TABLE photos DROP COLUMN capture_day; PRAGMA user_version = 2; VACUUM;`);
  db.close();
}

/** The upgrade of a layout 2 table to 3 on its first open (ms) and the peak RSS (MiB). */
export async function upgradeCase(dir, count) {
  const { PhotoTable } = await importBuilt('store/photo-table.js');
  const started = performance.now();
  const table = PhotoTable.open(dir);
  const upgradeMs = round1(performance.now() - started);
  if (table.count() !== count) throw new Error('the upgrade lost photos');
  await table.close();
  return {
    case: 'upgrade',
    photos: count,
    upgradeMs,
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
  };
}
