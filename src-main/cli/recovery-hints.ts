/**
 * What a user can do next after an error, for the codes where the message alone says what went
 * wrong but not how to get out of it (shown under `error CODE: message` in text mode).
 */
import type { ErrorCode } from '../engine/errors.js';

const HINTS: Partial<Record<ErrorCode, string>> = {
  PACK_INVALID:
    'the pack named above is damaged or incomplete: `anytag pack list` shows the packs found, ' +
    '`anytag pack use <id>` switches to another, `anytag pack import <file>` installs it again',
  DATA_FOLDER_BUSY:
    'another Anytag process writes to this data folder: wait for it, or close it (the message ' +
    'names it); read-only commands (search, status, tags, export) work beside it',
};

/** The next step for an error `code`, or undefined when the message is enough. */
export function recoveryHint(code: string): string | undefined {
  return HINTS[code as ErrorCode];
}
