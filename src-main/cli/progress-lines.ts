/**
 * Indexing progress on stderr at a steady pace: at most one line per `intervalMs`, however many
 * events arrive (a scan of unchanged photos sends one per file, each with done = total), and the
 * last event held back printed by `flush`, so the final count is always on screen.
 */
import type { IndexProgress } from '../engine/api/contract.js';
import { formatProgress } from './format.js';

/** Milliseconds between two progress lines. */
export const PROGRESS_INTERVAL_MS = 250;

export interface ProgressLines {
  /** Takes one progress event: printed now, or held back until the interval has passed. */
  update(progress: IndexProgress): void;
  /** Prints the event held back, if any (call once the run is over). */
  flush(): void;
}

/**
 * `write` gets each line (with its line end: a carriage return and erase on a terminal, so the
 * line is rewritten in place); `now` is the clock in milliseconds.
 */
export function progressLines(
  write: (text: string) => void,
  { terminal = false, now = () => performance.now(), intervalMs = PROGRESS_INTERVAL_MS } = {},
): ProgressLines {
  let last = Number.NEGATIVE_INFINITY;
  let held: IndexProgress | undefined;
  const print = (p: IndexProgress): void => {
    write(terminal ? `\r${formatProgress(p)}\x1b[K` : `${formatProgress(p)}\n`);
  };
  return {
    update(progress) {
      const at = now();
      if (at - last < intervalMs) {
        held = progress;
        return;
      }
      last = at;
      held = undefined;
      print(progress);
    },
    flush() {
      if (held) print(held);
      held = undefined;
    },
  };
}
