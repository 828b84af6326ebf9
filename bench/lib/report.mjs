/** What every bench report says about the machine it ran on, and how it prints the report. */
import os from 'node:os';

/** The 1, 5 and 15 minute load averages, to two decimals: a loaded machine times slower. */
export function loadAverage() {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

/** The processor's model name (the first core's). */
export const cpuModel = () => os.cpus()[0]?.model;

/** Prints a bench's one JSON object on stdout, indented by two. */
export function printReport(report) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
