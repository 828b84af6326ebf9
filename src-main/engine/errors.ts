/**
 * The one error type that crosses every transport. `code` is stable (UIs and scripts switch on
 * it); `message` names the file, field or value and the valid choices; `details` is plain JSON.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'PACK_INVALID'
  | 'PACK_NOT_FOUND'
  | 'MODEL_RUNTIME'
  | 'IMAGE_UNREADABLE'
  | 'IMAGE_UNSUPPORTED'
  | 'IMAGE_TOO_LARGE'
  | 'UNKNOWN_WORD'
  | 'NOT_FOUND'
  | 'STORE_CORRUPT'
  /** Another process holds the data folder's writer lock (details.holder names it). */
  | 'DATA_FOLDER_BUSY'
  /** This process opened the data folder read-only (busy, or not writable): edits are refused. */
  | 'READ_ONLY'
  /** The user stopped a long operation (a download); nothing of it was kept. */
  | 'CANCELLED'
  | 'IO';

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class AnytagError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AnytagError';
    this.code = code;
    this.details = details;
  }

  toJSON(): ErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Turns anything thrown into the transportable shape, hiding internals of foreign errors. */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof AnytagError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'IO', message };
}

export function isNodeError(error: unknown, code?: string): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error && (code === undefined || error.code === code);
}
