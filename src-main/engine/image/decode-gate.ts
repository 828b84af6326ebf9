/**
 * libvips keeps one error buffer per process and sharp reads it after a failure, so a file that
 * fails while other files decode can carry their messages, or none ("Unknown error"). Decodes
 * therefore pass this gate: ordinary ones share it; the re-decode that asks a failed file for
 * its own message holds it alone, so nothing else in this thread decodes meanwhile and the
 * message is the file's, the same every run.
 */
export class DecodeGate {
  private shared = 0;
  private exclusive: Promise<void> | null = null;
  private readonly drained: (() => void)[] = [];

  /** Runs `work` beside other shared work (waits while an exclusive run holds the gate). */
  async share<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    this.shared++;
    try {
      return await work();
    } finally {
      this.shared--;
      if (this.shared === 0) for (const wake of this.drained.splice(0)) wake();
    }
  }

  /** Runs `work` alone: after the shared runs in flight end, before any new one starts. */
  async alone<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let release!: () => void;
    this.exclusive = new Promise((resolve) => (release = resolve));
    try {
      if (this.shared > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
      return await work();
    } finally {
      this.exclusive = null;
      release();
    }
  }
}
