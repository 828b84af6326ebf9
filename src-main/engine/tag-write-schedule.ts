/**
 * When tags are written back (library/tag-writer.ts does the writing): a while after indexing
 * goes quiet, when some folder opted in, one pass at a time; a pass that met busy files runs
 * again a little later, a few times. Closing waits for a pass under way and starts no other.
 */
import type { TagWriter } from './library/tag-writer.js';
import type { Catalogue } from './store/catalogue.js';

/** Tags are written back once indexing has been quiet this long (ms). */
const TAG_WRITE_QUIET_MS = 5000;
/** A pass that found busy files runs again this many times at most before the next change. */
const TAG_WRITE_RETRIES = 12;

export class TagWriteSchedule {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<unknown> = Promise.resolve();
  private closing = false;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly tagWriter: TagWriter,
    /** Resolves once the tags of photos indexed so far are settled (the active pack's tagging). */
    private readonly tagsSettled: () => Promise<unknown> | undefined,
    /** A read-only engine never writes (it may become one: a lost writer lock). */
    private readonly readOnly: () => boolean,
  ) {}

  /**
   * Writes tags back a while after indexing goes quiet, when a folder opted in (the pass skips
   * photos written already, so a repeat is cheap).
   */
  schedule(retries = TAG_WRITE_RETRIES): void {
    if (this.closing || this.readOnly()) return;
    if (!this.catalogue.folders().some((f) => f.tagWriting && !f.writeError)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.writing = this.writing
        .then(async () => {
          await this.tagsSettled();
          const report = await this.tagWriter.write();
          // Files that were busy are tried again a little later, a few times.
          if (report.deferred > 0 && retries > 0) this.schedule(retries - 1);
        })
        .catch(() => undefined);
    }, TAG_WRITE_QUIET_MS);
    this.timer.unref();
  }

  /** Starts no other pass and waits for the one under way. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timer);
    await this.writing;
  }
}
