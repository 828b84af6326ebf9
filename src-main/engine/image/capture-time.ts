/**
 * When a photo was taken, from the fields cameras and photo tools write, in the order the
 * Metadata Working Group's guidance (2010, §5.4) ranks them:
 *   1. DateTimeOriginal (EXIF 0x9003, or XMP exif:DateTimeOriginal / photoshop:DateCreated),
 *      with SubSecTimeOriginal and OffsetTimeOriginal (EXIF 2.31) when present;
 *   2. CreateDate (EXIF 0x9004 "DateTimeDigitized", or XMP xmp:CreateDate);
 *   3. the GPS fix (GPSDateStamp + GPSTimeStamp, always UTC);
 *   4. the file's modification time.
 * The result keeps the photo's own wall-clock time: an ISO 8601 string with the offset when the
 * photo names one ("2009-05-06T07:08:09.123+02:00"), else without one (read as local time, which
 * is what a camera without a time zone setting means).
 */

/** Which field the capture time came from. */
export type CaptureSource = 'original' | 'created' | 'gps' | 'file';

export interface CaptureTime {
  /** ISO 8601; with an offset or `Z` when known, else local wall-clock time. */
  takenAt: string;
  takenFrom: CaptureSource;
}

/** The date fields a photo may hold, as read (EXIF strings or XMP ISO strings). */
export interface DateFields {
  original?: DateField;
  created?: DateField;
  gpsDate?: string;
  /** GPSTimeStamp: [hours, minutes, seconds]. */
  gpsTime?: number[];
  /** The file's modification time, ms since 1970. */
  fileMs: number;
}

export interface DateField {
  value: string;
  subSeconds?: string;
  /** "+02:00" style. */
  offset?: string;
}

const EXIF_DATE =
  /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The best capture time the fields give (never fails: the file time is the last resort). */
export function captureTime(fields: DateFields): CaptureTime {
  const original = fields.original && normaliseDate(fields.original);
  if (original) return { takenAt: original, takenFrom: 'original' };
  const created = fields.created && normaliseDate(fields.created);
  if (created) return { takenAt: created, takenFrom: 'created' };
  const gps = gpsTime(fields.gpsDate, fields.gpsTime);
  if (gps) return { takenAt: gps, takenFrom: 'gps' };
  return { takenAt: new Date(fields.fileMs).toISOString(), takenFrom: 'file' };
}

/**
 * "2009:05:06 07:08:09" (+ "123", "+02:00") → "2009-05-06T07:08:09.123+02:00"; undefined for a
 * blank or impossible date (cameras write "0000:00:00 00:00:00" when the clock was never set).
 */
export function normaliseDate(field: DateField): string | undefined {
  const match = EXIF_DATE.exec(field.value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, zone] = match;
  if (y === '0000' || mo === '00' || d === '00') return undefined;
  const digits = (field.subSeconds ?? '').trim().replace(/\D/g, '');
  const sub = fraction ?? (digits ? `.${digits}` : '');
  const offset = zone ?? normaliseOffset(field.offset);
  const text = `${y}-${mo}-${d}T${h}:${mi}:${s}${sub}${offset ?? ''}`;
  return Number.isNaN(Date.parse(text)) ? undefined : text;
}

function normaliseOffset(offset: string | undefined): string | undefined {
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(offset?.trim() ?? '');
  return match ? `${match[1]}${match[2]}:${match[3]}` : undefined;
}

function gpsTime(date: string | undefined, time: number[] | undefined): string | undefined {
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})$/.exec(date?.trim() ?? '');
  if (!match || !time || time.length < 3) return undefined;
  const [h, m, s] = time as [number, number, number];
  const ms = Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!, h, m, 0) + s * 1000;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Milliseconds since 1970 of a stored capture time (local time when it has no offset). */
export function captureMs(takenAt: string): number {
  return Date.parse(takenAt);
}
