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
 * Wall-clock p50/p90/p95/min of `times` and p50/p90 of `cpu` (ms, unsorted samples, one each per
 * run; CPU time of the whole process, all threads): what timeRuns reports.
 */
export function summarise(times, cpu) {
  const wall = [...times].sort((a, b) => a - b);
  const used = [...cpu].sort((a, b) => a - b);
  return {
    p50: ms(percentile(wall, 0.5)),
    p90: ms(percentile(wall, 0.9)),
    p95: ms(percentile(wall, 0.95)),
    min: ms(wall[0]),
    cpuP50: ms(percentile(used, 0.5)),
    cpuP90: ms(percentile(used, 0.9)),
  };
}

/** One timed call of `fn`: its wall time and the CPU time of the whole process (ms). */
export async function timeOnce(fn) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  await fn();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpuStarted);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

/**
 * Runs `fn(r)` for r = 0 … runs−1, one after another: wall-clock p50/p90/p95/min in ms, and the
 * CPU time the whole process (all threads) spent per run (cpuP50, cpuP90, ms): on a busy
 * machine wall time includes waiting for a core, CPU time does not.
 */
export async function timeRuns(runs, fn) {
  const times = [];
  const cpu = [];
  for (let r = 0; r < runs; r++) {
    const sample = await timeOnce(() => fn(r));
    times.push(sample.wall);
    cpu.push(sample.cpu);
  }
  return summarise(times, cpu);
}
