/** Waiting in tests for what the engine does in the background (watchers, queues, timers). */

/**
 * Polls `check` every 50 ms until it returns a truthy value, and returns that value; throws
 * "timed out waiting for <what>" after `ms` milliseconds (default 15 s).
 */
export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
