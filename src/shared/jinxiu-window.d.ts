import type { StudioApi } from './client';

/**
 * What the preload exposes on `window.jinxiu` (src/preload/index.ts): the typed client and event
 * subscription, nothing else.
 *
 * One difference from a client built in the same world: contextBridge keeps only the message of an
 * Error that crosses it, so a failed call rejects with a plain `AppErrorData`-shaped object
 * `{ name: 'AppError', code, message, details? }` instead of an AppError instance. Recognise either
 * form with `AppErrorSchema.safeParse(err)` from src/shared/contract, which accepts both.
 */
export type JinxiuWindowApi = StudioApi;

declare global {
  interface Window {
    readonly jinxiu: JinxiuWindowApi;
  }
}
