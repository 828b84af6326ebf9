/**
 * Records keyed by names that come from users and packs (label keys, pack ids) live in
 * null-prototype objects: a label called `constructor`, `keys` or `toString` is a key like any
 * other and can never reach Object.prototype or Object itself. Pack ids, which also name
 * records in plain code paths, may not be a member name of Object.prototype (`constructor`…).
 */
import { z } from 'zod';

/** Names an id may not take: members of Object.prototype, and `prototype`. */
export const RESERVED_IDS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

export function isReservedId(id: string): boolean {
  return RESERVED_IDS.has(id);
}

/** An empty record with no prototype. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * `z.record(string, value)` whose output has no prototype. (Zod leaves out a `__proto__` key
 * of the input; no label or pack id can be `__proto__`: labels read `_` as a space.)
 */
export function keyedRecord<T extends z.ZodType>(value: T) {
  return z
    .record(z.string(), value)
    .transform((record) => Object.assign(emptyRecord<z.output<T>>(), record));
}
