import type { i18n as I18n } from 'i18next';
import { AppError, AppErrorSchema } from '../../../shared/contract';

/**
 * Electron's contextBridge hands rejections over as plain `{ name: 'AppError', code, message }`
 * objects; this turns them back into AppError so the UI sees one error type from either transport.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const data = AppErrorSchema.safeParse(err);
  if (data.success) {
    const { code, message, details, reason, params } = data.data;
    return new AppError(code, message, details, reason ? { reason, ...(params ? { params } : {}) } : undefined);
  }
  return new AppError('INTERNAL', err instanceof Error ? err.message : String(err));
}

/**
 * The app's translation, registered by createI18n, so that the forty-odd places that show a failed
 * call word it in the UI language without each passing `t` down.
 */
let wording: I18n | null = null;
export function setErrorWording(i18n: I18n): void {
  wording = i18n;
}

/**
 * What the UI shows for a failed call. The main side sends an English message (for the CLI and logs)
 * and, where it has one, a `reason` with `params` that the locale files word (errors:reason.*). Without
 * a reason, English shows the main side's message, which names the problem exactly, and any other
 * language the code's own sentence (errors:code.*), never the English.
 */
export function errorMessage(err: unknown): string {
  const e = toAppError(err);
  if (!wording) return e.message;
  const reasonKey = `errors:reason.${e.reason ?? ''}`;
  if (e.reason && wording.exists(reasonKey)) return wording.t(reasonKey, e.params ?? {});
  if (wording.language === 'en' && e.message) return e.message;
  return wording.t(`errors:code.${e.code}`);
}
