/**
 * Timing helpers shared by the benches: percentiles and medians of samples, rounding to the
 * units the reports use, and a loop that times one operation `runs` times. Benches print
 * figures; tests never assert them.
 */

/** The value at fraction `p` (0–1) of ascending `sorted` samples (nearest rank, floor). */
export const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** The median of unsorted samples (upper middle for an even count); NaN for none. */
export function median(samples) {
  if (samples.length === 0) return NaN;
  return [...samples].sort((a, b) => a - b)[samples.length >> 1];
}

/** Milliseconds to two decimals. */
export const ms = (value) => Math.round(value * 100) / 100;

/**
 * Runs `fn(r)` for r = 0 … runs−1, one after another: wall-clock p50/p95/min in ms, and the CPU
 * time the whole process (all threads) spent per run (cpuP50, ms): on a busy machine wall time
 * includes waiting for a core, CPU time does not.
 */
export async function timeRuns(runs, fn) {
  const times = [];
  const cpu = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await fn(r);
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpuStarted);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    p50: ms(percentile(times, 0.5)),
    p95: ms(percentile(times, 0.95)),
    min: ms(times[0]),
    cpuP50: ms(percentile(cpu, 0.5)),
  };
}
