/**
 * A photo table file as Anytag wrote it at layout version 2 (before the gallery's sort and scope
 * columns, store/photo-table-file.ts): made from a current file by dropping what layout 3 added.
 */
import Database from 'better-sqlite3';

export function downgradeToLayout2(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`
      DROP INDEX photos_taken;
      DROP INDEX photos_mtime;
      DROP INDEX photos_path_keys;
      DROP INDEX photos_capture_day;
      ALTER TABLE photos DROP COLUMN taken_ms;
      ALTER TABLE photos DROP COLUMN capture_day;
      PRAGMA user_version = 2;
    `);
  } finally {
    db.close();
  }
}

/** The layout version and column names of a table file (read without upgrading it). */
export function layoutOf(file: string): { version: number; columns: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const columns = (db.pragma('table_info(photos)') as { name: string }[]).map((c) => c.name);
    return { version, columns };
  } finally {
    db.close();
  }
}
