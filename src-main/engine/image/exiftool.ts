/**
 * The exiftool owner: one lazily started `ExifTool` (exiftool-vendored: a pool of long-running
 * `exiftool -stay_open` perl processes; on Linux it uses the system perl) per thread that needs
 * it, ended when the engine (or an indexing worker) closes. Every user of exiftool — RAW preview
 * extraction here, metadata writing elsewhere — takes it from `exiftool()` and never ends it
 * itself; `endExiftool()` belongs to whoever closes the engine or the worker.
 */
import type { ExifTool } from 'exiftool-vendored';

/** At most this many exiftool processes per thread: RAW previews are I/O, not CPU, bound. */
const MAX_PROCS = 2;
/** A single exiftool task (one file) that takes longer than this fails (ms). */
const TASK_TIMEOUT_MS = 30_000;

let instance: Promise<ExifTool> | undefined;

/**
 * The shared ExifTool, started on first use. The library itself is loaded then too: most runs
 * meet no RAW file and write no keywords, and loading it costs ~50 ms of CPU in each thread.
 */
export function exiftool(): Promise<ExifTool> {
  instance ??= import('exiftool-vendored').then(
    ({ ExifTool }) => new ExifTool({ maxProcs: MAX_PROCS, taskTimeoutMillis: TASK_TIMEOUT_MS }),
  );
  return instance;
}

/** Whether exiftool processes were started (and not yet ended) in this thread. */
export function exiftoolStarted(): boolean {
  return instance !== undefined;
}

/** Ends the exiftool processes, if any were started; the next `exiftool()` starts new ones. */
export async function endExiftool(): Promise<void> {
  const running = instance;
  instance = undefined;
  await (await running?.catch(() => undefined))?.end();
}
