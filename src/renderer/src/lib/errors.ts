import { AppError, AppErrorSchema } from '../../../shared/contract';

/**
 * Electron's contextBridge hands rejections over as plain `{ name: 'AppError', code, message }`
 * objects; this turns them back into AppError so the UI sees one error type from either transport.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const data = AppErrorSchema.safeParse(err);
  if (data.success) return new AppError(data.data.code, data.data.message, data.data.details);
  return new AppError('INTERNAL', err instanceof Error ? err.message : String(err));
}

/** What the UI shows for a failed call: the main side's message, which already names the problem. */
export function errorMessage(err: unknown): string {
  return toAppError(err).message;
}
