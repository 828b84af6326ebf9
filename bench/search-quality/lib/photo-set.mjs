// The evaluation set, assembled at bench time: photos.json names each photo's source (the shared
// reference data, or a file a Debian package installs); this copies those found into one folder
// as `<id><ext>`, so a search hit's file name gives the photo id back. Nothing is installed here.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads photos.json and queries.json and checks they agree (unique ids, known sources and
 * classes, every judged id a photo of the set). Throws naming the bad entry.
 * @param {string} dir bench/search-quality
 * @returns {Promise<{photos: object, queries: object}>}
 */
export async function readEvaluationSet(dir) {
  const photos = JSON.parse(await readFile(path.join(dir, 'photos.json'), 'utf8'));
  const queries = JSON.parse(await readFile(path.join(dir, 'queries.json'), 'utf8'));
  const ids = new Set();
  for (const photo of photos.photos) {
    if (ids.has(photo.id)) throw new Error(`photos.json: photo id "${photo.id}" appears twice`);
    if (!photos.sources[photo.source])
      throw new Error(`photos.json: photo "${photo.id}" has unknown source "${photo.source}"`);
    ids.add(photo.id);
  }
  const seen = new Set();
  for (const query of queries.queries) {
    if (seen.has(query.query)) throw new Error(`queries.json: "${query.query}" appears twice`);
    seen.add(query.query);
    if (!queries.classes[query.class])
      throw new Error(`queries.json: "${query.query}" has unknown class "${query.class}"`);
    const unknown = query.relevant.filter((id) => !ids.has(id));
    if (unknown.length)
      throw new Error(`queries.json: "${query.query}" names unknown photos ${unknown.join(', ')}`);
  }
  return { photos, queries };
}

/**
 * Copies every photo that can be found into `target`.
 * @param {object} photos photos.json
 * @param {{target: string, sharedDir: string, packageRoots: string[]}} where packageRoots, tried
 *   in order: "/" for installed packages, or folders of extracted trees (`dpkg -x pkg.deb DIR`)
 * @returns {Promise<{present: Map<string, string>, missing: Array<{id: string, file: string}>,
 *   install: string[]}>} present: file name → photo id; install: the apt packages lacking
 */
export async function assemblePhotos(photos, { target, sharedDir, packageRoots }) {
  await mkdir(target, { recursive: true });
  const present = new Map();
  const missing = [];
  const install = new Set();
  for (const photo of photos.photos) {
    const source = photos.sources[photo.source];
    const candidates =
      photo.source === 'shared'
        ? [path.join(sharedDir, photo.path)]
        : packageRoots.map((root) => path.join(root, photo.path));
    const file = candidates.find((candidate) => existsSync(candidate));
    if (!file) {
      missing.push({ id: photo.id, file: candidates[0] });
      if (source.apt) install.add(source.apt);
      continue;
    }
    const name = `${photo.id}${path.extname(photo.path).toLowerCase()}`;
    await copyFile(file, path.join(target, name));
    present.set(name, photo.id);
  }
  return { present, missing, install: [...install].sort() };
}
