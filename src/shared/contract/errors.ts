import { z } from 'zod';

/** Every failure that crosses the contract carries one of these codes. */
export const ERROR_CODES = [
  'BAD_REQUEST', // the request did not match the channel's schema
  'UNKNOWN_CHANNEL',
  'UNAUTHORIZED', // transport-level: missing or wrong token
  'NOT_FOUND',
  'CONFLICT', // e.g. a name already taken, a pack in use
  'INVALID_INPUT', // well-formed but unusable input: unreadable image, hostile SVG, ...
  'PATH_OUTSIDE_LIBRARY',
  'PATH_NOT_CHOSEN', // a path from the renderer that the user did not pick (dialog or a folder the studio was started with)
  'LIBRARY_CORRUPT',
  'MIGRATION_FAILED',
  'DISK_FULL',
  'JOB_CANCELLED',
  'JOB_INTERRUPTED',
  'WORKER_CRASHED',
  'MODEL_INVALID', // a pack whose files, hashes or I/O signature do not match its manifest
  'MODEL_MISSING',
  'OUT_OF_MEMORY',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Values a message is worded with: names, numbers, paths; never English prose. */
export const ErrorParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type ErrorParams = z.infer<typeof ErrorParamsSchema>;

export const AppErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  /** English, for the CLI and logs. The studio words an error from `code`, `reason` and `params` in its own language. */
  message: z.string(),
  details: z.unknown().optional(),
  /** Which of the code's cases this is, as a stable id the renderer's locale files word (errors:reason.<reason>). */
  reason: z.string().optional(),
  params: ErrorParamsSchema.optional(),
});
export type AppErrorData = z.infer<typeof AppErrorSchema>;

/** Thrown by services; transports turn it into `{ ok: false, error }` unchanged. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly reason: string | undefined;
  readonly params: ErrorParams | undefined;

  constructor(code: ErrorCode, message: string, details?: unknown, wording?: { reason: string; params?: ErrorParams }) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.reason = wording?.reason;
    this.params = wording?.params;
  }

  toData(): AppErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.details !== undefined ? { details: this.details } : {}),
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      ...(this.params !== undefined ? { params: this.params } : {}),
    };
  }

  static is(value: unknown, code?: ErrorCode): value is AppError {
    return value instanceof AppError && (code === undefined || value.code === code);
  }
}

/** The answer to every request, over every transport. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: AppErrorData };

export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorSchema }),
]);
