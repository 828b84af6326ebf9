/**
 * Runs async jobs one after another, in the order they were queued: each starts when the one
 * before it settled (fulfilled or rejected), and one job's failure never blocks the next. The
 * one promise queue of the engine (tagging changes, embedding-file writes, model runs).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `job`; resolves or rejects with its outcome. */
  run<T>(job: () => Promise<T> | T): Promise<T> {
    const run = this.tail.then(job, job);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every job queued so far, and any they queued in turn, has finished. */
  async settled(): Promise<void> {
    for (let seen: unknown; seen !== this.tail;) {
      seen = this.tail;
      await this.tail;
    }
  }
}
