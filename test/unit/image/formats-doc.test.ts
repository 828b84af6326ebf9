/** docs/formats.md lists exactly the one format table (image/formats.ts). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { contentTypeOf } from '../../../src-main/engine/api/media.js';
import { isImageFile } from '../../../src-main/engine/library/scan.js';
import { PHOTO_FORMATS } from '../../../src-main/engine/image/formats.js';
import { REPO_ROOT } from '../../helpers/shared.js';

it('docs/formats.md shows the format table, and scan and media read the same table', async () => {
  const doc = await readFile(path.join(REPO_ROOT, 'docs', 'formats.md'), 'utf8');
  const table = doc.split('<!-- formats-table -->')[1]!.split('<!-- /formats-table -->')[0]!;
  const rows = table.trim().split('\n').slice(2);
  expect(rows).toEqual(
    PHOTO_FORMATS.map(
      (f) =>
        `| ${f.name} | ${f.extensions.join(' ')} | ${f.mediaType} | ${f.decoder} | ${f.browserShows ? 'yes' : 'no: JPEG rendition'} |`,
    ),
  );
  for (const format of PHOTO_FORMATS) {
    for (const ext of format.extensions) {
      const upper = `PHOTO${ext.toUpperCase()}`;
      expect(isImageFile(upper), upper).toBe(true);
      expect(contentTypeOf(upper)).toBe(format.mediaType);
    }
  }
});
