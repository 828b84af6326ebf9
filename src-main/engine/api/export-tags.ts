/**
 * "Export tags": every photo's tags (Anytag's, with scores), the user's own keywords and its
 * capture data, as JSON (an array of objects) or CSV (RFC 4180: one row per photo, lists joined
 * with "; "), for spreadsheets and other tools. Reads the catalogue only.
 */
import { isInside } from '../paths.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { Handlers } from './api.js';

interface ExportRow {
  path: string;
  takenAt: string | null;
  takenFrom: string | null;
  camera: string | null;
  lens: string | null;
  rating: number | null;
  tags: { label: string; score: number; own: boolean }[];
  keywords: string[];
}

const CSV_COLUMNS = [
  'path',
  'taken_at',
  'taken_from',
  'camera',
  'lens',
  'rating',
  'tags',
  'keywords',
] as const;

export function exportHandlers(catalogue: Catalogue): Handlers<'exportTags'> {
  return {
    exportTags: async ({ format, folder }) => {
      const photos = (await catalogue.allPhotos())
        .filter((p) => !folder || isInside(folder, p.path))
        .map(exportRow)
        .sort((a, b) => a.path.localeCompare(b.path));
      const content = format === 'json' ? JSON.stringify(photos, null, 2) + '\n' : toCsv(photos);
      return { format, photos: photos.length, content };
    },
  };
}

function exportRow(photo: PhotoRecord): ExportRow {
  const meta = photo.meta;
  const camera = [meta?.make, meta?.model].filter(Boolean).join(' ');
  return {
    path: photo.path,
    takenAt: meta?.takenAt ?? null,
    takenFrom: meta?.takenFrom ?? null,
    camera: camera || null,
    lens: meta?.lens ?? null,
    rating: meta?.rating ?? null,
    tags: photo.tags.map((t) => ({ label: t.label, score: t.score, own: !t.seen })),
    keywords: meta?.keywords ?? [],
  };
}

function toCsv(rows: readonly ExportRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    const cells = [
      row.path,
      row.takenAt ?? '',
      row.takenFrom ?? '',
      row.camera ?? '',
      row.lens ?? '',
      row.rating ?? '',
      row.tags.map((t) => t.label).join('; '),
      row.keywords.join('; '),
    ];
    lines.push(cells.map((cell) => csvCell(String(cell))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** RFC 4180: quote a cell holding a comma, quote or line break; double inner quotes. */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
