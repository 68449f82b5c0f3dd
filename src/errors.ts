/**
 * The project's error hierarchy. Every error a user can cause carries a stable `code` (for scripts
 * and tests), a one-line message that names what failed and where, and optionally a hint saying
 * what to do next. Unexpected failures are wrapped with `cause` so nothing is lost.
 */

export type ErrorCode =
  | 'USAGE'
  | 'CONFIG'
  | 'LAKE_MISSING'
  | 'NO_LANDING_FILES'
  | 'UNREADABLE_FILE'
  | 'MALFORMED_RECORD'
  | 'LAKE_LOCKED'
  | 'ENGINE'
  | 'CHECK_FAILED'
  | 'LEDGER_UNBALANCED'
  | 'FANOUT'
  | 'MISSING_KEY';

export class StediError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StediError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** One line for a terminal: the message, then the hint if there is one. */
export function describeError(err: unknown): string {
  if (err instanceof StediError) {
    return err.hint ? `${err.message} (${err.hint})` : err.message;
  }
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.message;
  return String(err);
}
