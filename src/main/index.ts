import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { AppError, contract } from '../shared/contract';
import { createDispatcher } from './host/dispatch';
import { createHandlers } from './host/handlers';
import { serveIpc } from './host/ipc';
import { foldersFromList, RendererPaths } from './host/renderer-paths';
import { choosePathInDialog, showFatalError } from './platform/dialogs';
import { registerLibraryScheme, serveLibraryScheme } from './platform/library-scheme';
import { buildMenu } from './platform/menu';
import { hardenSession } from './platform/session';
import { utilityWorkerLauncher } from './platform/utility-worker';
import { createMainWindow, focusWindow, guardWebContents } from './platform/window';
import { Studio } from './studio';

/*
 * The Electron entry, kept thin: it wires the same Studio, handler table and dispatcher that the CLI
 * and the browser harness use to Electron's IPC, window and protocol. Everything here that talks to
 * Electron lives in ./platform.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
const appUrl = devServerUrl ?? pathToFileURL(path.join(here, '../renderer/index.html')).href;

// Before ready: privileged schemes must be declared, and every renderer is sandboxed.
registerLibraryScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the library (SQLite in WAL mode, one writer); it is told to come forward.
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appUrl));
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fatal(err));
}

async function start(): Promise<void> {
  const libraryDir = process.env.JINXIU_LIBRARY ?? path.join(app.getPath('userData'), 'library');
  let studio: Studio;
  try {
    studio = Studio.open({
      libraryDir,
      electronVersion: process.versions.electron,
      inferenceLauncher: utilityWorkerLauncher(path.join(here, 'inference-worker.js')),
    }).start();
  } catch (err) {
    fatal(err, `The library at ${libraryDir} could not be opened.`);
    return;
  }

  hardenSession(session.defaultSession, { devServerUrl });
  // Only the content-addressed file store is served: never library.sqlite or its backups.
  const stopLibraryScheme = serveLibraryScheme(path.join(studio.library.dir, 'files'));
  // Paths from the renderer: chosen in the main side's own dialogs, or inside folders picked at launch
  // (JINXIU_PICKED_FOLDERS, the launching user's own choice like a CLI argument; the e2e runs use it).
  const paths = new RendererPaths({
    folders: foldersFromList(process.env.JINXIU_PICKED_FOLDERS),
    forbidden: [studio.library.dir],
    chooser: (kind) => choosePathInDialog(kind, BrowserWindow.getFocusedWindow()),
  });
  const dispatch = createDispatcher(contract, createHandlers(studio, paths));
  const stopIpc = serveIpc(ipcMain, dispatch, studio.events, () => BrowserWindow.getAllWindows(), { appUrl });
  Menu.setApplicationMenu(buildMenu({ dev: devServerUrl !== null, appName: app.getName() }));

  const openWindow = () => createMainWindow({ appUrl, preload: path.join(here, '../preload/index.cjs') });
  openWindow();

  app.on('second-instance', () => focusWindow(BrowserWindow.getAllWindows()[0]));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Close the library cleanly (jobs stopped between steps, worker shut down, WAL checkpointed)
  // before the process goes; will-quit fires again after the second app.quit() and passes.
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    stopIpc();
    stopLibraryScheme();
    studio
      .close()
      .catch((err: unknown) => console.error('Closing the library failed:', err))
      .finally(() => app.quit());
  });
}

function fatal(err: unknown, context = 'Jinxiu Studio could not start.'): void {
  const detail = err instanceof AppError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  console.error(context, err);
  showFatalError('Jinxiu Studio', `${context}\n\n${detail}`);
  app.exit(1);
}
