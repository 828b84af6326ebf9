/**
 * `anytag export` and keyword search as users run them: the compiled CLI in a child process, on
 * the starter pack, with a photo keyworded by exiftool.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireCliBuilt, runAnytag } from '../helpers/cli.js';
import { exiftoolWrite } from '../helpers/exiftool-fixture.js';
import { REFERENCE_PHOTOS } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp.js';

/** `anytag <args>`'s standard output; throws when it fails. */
async function anytag(args: string[]): Promise<string> {
  const { stdout, stderr, code } = await runAnytag(args);
  if (code !== 0) throw new Error(`anytag ${args.join(' ')} exited with ${code}: ${stderr}`);
  return stdout;
}

describe('anytag export', () => {
  let data: string;
  let photos: string;
  beforeAll(async () => {
    requireCliBuilt();
    const root = await tempDir();
    data = path.join(root, 'data');
    photos = path.join(root, 'photos');
    await mkdir(photos, { recursive: true });
    for (const name of ['bird.jpg', 'cat.jpg']) {
      await copyFile(path.join(REFERENCE_PHOTOS, name), path.join(photos, name));
    }
    await exiftoolWrite(path.join(photos, 'bird.jpg'), [
      '-IPTC:Keywords=zzheron',
      '-XMP-dc:Subject=zzheron',
      '-DateTimeOriginal=2009:05:06 07:08:09',
    ]);
    await anytag(['index', photos, '--data', data]);
  });

  it('writes every photo’s tags and keywords as CSV, to stdout or a file', async () => {
    const csv = await anytag(['export', '--format', 'csv', '--data', data]);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('path,taken_at,taken_from,camera,lens,rating,tags,keywords');
    expect(lines).toHaveLength(3);
    const bird = lines.find((l) => l.startsWith(path.join(photos, 'bird.jpg')))!;
    expect(bird).toContain('2009-05-06T07:08:09,original');
    expect(bird).toMatch(/,zzheron$/);
    const out = path.join(data, 'tags.json');
    await anytag(['export', '--out', out, '--data', data]);
    const json = JSON.parse(await readFile(out, 'utf8'));
    expect(json.map((r: { path: string }) => path.basename(r.path))).toEqual([
      'bird.jpg',
      'cat.jpg',
    ]);
    expect(json[0].tags.map((t: { label: string }) => t.label)).toContain('bird');
  });

  it('finds a keyword the model does not know', async () => {
    const result = JSON.parse(await anytag(['search', 'zzheron', '--data', data, '--json']));
    expect(result.hits.map((h: { path: string }) => path.basename(h.path))).toEqual(['bird.jpg']);
  });
});
