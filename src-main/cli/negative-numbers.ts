/**
 * Negative numbers on the command line (`vocab threshold owl -0.1`, `--threshold -0.05`): Node's
 * option parser reads any token that starts with "-" as an option, so it refuses them (an
 * "unknown option" or an "ambiguous" value). A negative number is no option (none is a digit):
 * it is carried past the parser behind a NUL, which no real argument can hold, and restored.
 */

/** -1, -0.25, -.5, -1e-3: a number below zero as a user writes it. */
const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const SHIELD = '\u0000';

/** argv with each negative number before a `--` shielded from the option parser. */
export function shieldNegativeNumbers(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((arg, i) =>
    (end < 0 || i < end) && NEGATIVE_NUMBER.test(arg) ? `${SHIELD}${arg}` : arg,
  );
}

/** A parsed value (a positional or an option's value) as the user wrote it. */
export function unshield<T extends string | undefined>(value: T): T {
  return (value?.startsWith(SHIELD) ? value.slice(SHIELD.length) : value) as T;
}
