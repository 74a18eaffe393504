import { AppError, type Envelope } from '../../shared/contract';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc-protocol';
import { fail, type Dispatch } from './dispatch';
import type { EventBus } from '../events';

/** The part of an `IpcMainInvokeEvent` this adapter reads. */
export interface IpcInvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of Electron's `ipcMain` this adapter uses, so it runs and is tested under plain Node. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of a `BrowserWindow` events are forwarded to. */
export interface WindowLike {
  isDestroyed(): boolean;
  readonly webContents: { send(channel: string, ...args: unknown[]): void };
}

export interface ServeIpcOptions {
  /** The URL the app's renderer is loaded from (dev server URL or the built index.html file URL). */
  appUrl: string;
}

/**
 * Electron IPC transport for the handler table: one invoke channel that answers envelopes, and bus
 * events forwarded to every window. A frame that is not the app's own page (an iframe of another
 * origin, a page navigated elsewhere) gets UNAUTHORIZED without reaching a handler.
 * Returns a function that removes the handler and stops forwarding.
 */
export function serveIpc(
  ipc: IpcMainLike,
  dispatch: Dispatch,
  events: EventBus,
  getWindows: () => readonly WindowLike[],
  options: ServeIpcOptions,
): () => void {
  ipc.handle(IPC_INVOKE, async (event, channel, payload): Promise<Envelope> => {
    const frameUrl = event?.senderFrame?.url;
    if (typeof frameUrl !== 'string' || !isAppUrl(frameUrl, options.appUrl)) {
      return fail(new AppError('UNAUTHORIZED', 'This frame is not the studio and may not call it.'));
    }
    return dispatch(channel, payload);
  });

  const unsubscribe = events.subscribe((name, payload) => {
    for (const win of getWindows()) {
      if (win.isDestroyed()) continue;
      try {
        win.webContents.send(IPC_EVENT, name, payload);
      } catch {
        // A window closing between the check and the send must not stop the others from hearing.
      }
    }
  });

  return () => {
    unsubscribe();
    ipc.removeHandler(IPC_INVOKE);
  };
}

/**
 * Whether `url` is the app's own page. A prefix test is not enough (`http://localhost:5173` is a
 * prefix of `http://localhost:51730`, and every `file:` URL shares the origin "null"), so: the same
 * origin for http(s) and custom schemes, the same file for `file:` pages. Query and hash are free
 * (the renderer may route with them).
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  let candidate: URL;
  let app: URL;
  try {
    candidate = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (candidate.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') return candidate.host === app.host && decodedPath(candidate) === decodedPath(app);
  if (candidate.username || candidate.password) return false;
  return candidate.host === app.host && candidate.origin === app.origin && app.origin !== 'null';
}

/** Chromium and pathToFileURL may escape a path (a user name in Chinese, a space) differently; decodeURI keeps %2F escaped. */
function decodedPath(url: URL): string {
  try {
    return decodeURI(url.pathname);
  } catch {
    return url.pathname;
  }
}
