/**
 * Capture periods in words: the date browser's and the gallery heading's names for a `taken`
 * value (YYYY, YYYY-MM, YYYY-MM-DD or "none", as the engine's `taken:` filter reads them), in
 * the reader's language. Dates are named as the photos wrote them (UTC arithmetic, no shift).
 */

/**
 * Whether `text` is a period the engine's `taken` filter takes: YYYY, YYYY-MM (month 1–12),
 * a real calendar day YYYY-MM-DD, or "none" (an address typed or edited by hand may hold
 * anything else). The renderer takes only types from the main side, so this mirrors the engine's
 * `isTakenPeriod` (engine/index/query.ts); both refuse 2023-13 and 2023-02-30.
 */
export function isPeriod(text: string): boolean {
  if (text === 'none' || /^\d{4}$/.test(text)) return true;
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 1)];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** "2023", "July 2023", "Fri 14 July 2023" (by locale), "No date". */
export function periodName(taken: string): string {
  if (taken === 'none') return 'No date';
  const [year, month, day] = taken.split('-').map(Number) as [number, number?, number?];
  if (month === undefined) return String(year);
  const date = new Date(Date.UTC(year, month - 1, day ?? 1));
  return date.toLocaleDateString(undefined, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    ...(day !== undefined && { day: 'numeric', weekday: 'short' }),
  });
}

/** A period's short name inside its year or month: "2023", "July", "Fri 14", "No date". */
export function shortPeriodName(taken: string): string {
  if (taken === 'none') return 'No date';
  const [year, month, day] = taken.split('-').map(Number) as [number, number?, number?];
  if (month === undefined) return String(year);
  const date = new Date(Date.UTC(year, month - 1, day ?? 1));
  if (day === undefined)
    return date.toLocaleDateString(undefined, { timeZone: 'UTC', month: 'long' });
  return `${date.toLocaleDateString(undefined, { timeZone: 'UTC', weekday: 'short' })} ${day}`;
}

/**
 * What an empty gallery says for the scope browsed (`folder`: absolute path, `taken`: a period,
 * `state`: 'error' for the unreadable photos), so a chosen folder or month with no photo is
 * not mistaken for an empty library: "No photo in /Trips taken in July 2023.", or the
 * empty-library text when nothing narrows it.
 */
export function emptyScopeText(scope: {
  folder: string | null;
  taken: string | null;
  state?: string | null;
}): string {
  const { folder, taken, state } = scope;
  if (!folder && !taken && !state) return 'No photos yet. Add a folder in Folders.';
  const what = state === 'error' ? 'No unreadable photo' : 'No photo';
  const where = folder ? ` in ${folder}` : '';
  const when =
    taken === 'none' ? ' without a capture date' : taken ? ` taken in ${periodName(taken)}` : '';
  return `${what}${where}${when}.`;
}
