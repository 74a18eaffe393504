import { BrowserWindow, shell, type WebContents } from 'electron';
import { isAppUrl } from '../host/ipc';
import { isExternalLinkUrl } from './web-policy';

export interface MainWindowOptions {
  /** Where the renderer is loaded from: the dev server URL or the built index.html as a file URL. */
  appUrl: string;
  /** The built preload, out/preload/index.cjs. */
  preload: string;
}

/** The studio window: isolated, sandboxed, no Node in the page, web security on. */
export function createMainWindow({ appUrl, preload }: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Jinxiu Studio',
    backgroundColor: '#f5f1ea',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  return win;
}

/**
 * Applied to every WebContents the app creates (app 'web-contents-created'): the page may not
 * navigate or be redirected away from the app, may not open windows, and may not attach webviews.
 * A link to an http(s) page opens in the system browser instead.
 */
export function guardWebContents(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Brings a window to the front, e.g. when a second instance of the app was started. */
export function focusWindow(win: BrowserWindow | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
