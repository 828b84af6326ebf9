/**
 * The input fields the contract's areas share: trimmed text, file paths, labels, pack ids and
 * capture periods, each refused in words a user reads (the UI shows them): a phrase that follows
 * the field's plain name (api/input-errors.ts), as in "Label text is empty".
 */
import { z } from 'zod';
import { isReservedId } from '../../store/keyed-record.js';
import { isTakenPeriod } from '../../index/query.js';

/**
 * A capture period (the date browser's, and the query's `taken:`): a year YYYY, a month YYYY-MM,
 * a day YYYY-MM-DD, or "none" (photos that name no capture date).
 */
export const takenPeriod = z
  .string()
  .refine(isTakenPeriod, 'must be a year, month or day (2024, 2024-05, 2024-05-17) or "none"');

/** Trimmed text of 1..max characters, refused in words a user reads (the UI shows them). */
export const text = (max: number) =>
  z.string().trim().min(1, 'is empty').max(max, `is longer than ${max} characters`);
/**
 * A file or folder path exactly as given: never trimmed (a folder name may end in a space, and
 * names may hold tabs or newlines), only refused when empty or blank.
 */
export const filePath = z
  .string()
  .max(4096)
  .refine((value) => value.trim().length > 0, 'is empty or blank');
/** A label by its key, shown name or one of its aliases. */
export const label = text(100);
export const packId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'may hold only lowercase letters, digits, ".", "_" or "-"')
  .refine((id) => !isReservedId(id), 'is a reserved name ("constructor", …)');
