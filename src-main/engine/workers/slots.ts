/**
 * A counting semaphore: at most `size` holders at once, the rest wait in arrival order. The
 * index pipeline holds one per photo from reading its bytes to the end of its decode, so only a
 * few multi-megabyte files are in memory at a time however many batches are in flight.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`Slots(${size}): size must be ≥ 1`);
    this.free = size;
  }

  /** Runs `work` once a slot is free, releasing it when `work` settles. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
