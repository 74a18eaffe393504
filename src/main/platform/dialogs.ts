import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { PathKind } from '../../shared/contract';

/** A blocking error box for failures before any window exists (a corrupt library, a failed migration). */
export function showFatalError(title: string, message: string): void {
  dialog.showErrorBox(title, message);
}

const OPEN: Readonly<Record<Exclude<PathKind, 'techPackPdf'>, OpenDialogOptions>> = {
  swatchPhoto: { properties: ['openFile'], filters: [{ name: 'Swatch photos', extensions: ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff'] }] },
  flatSvg: { properties: ['openFile'], filters: [{ name: 'SVG flats', extensions: ['svg'] }] },
  modelPackZip: { properties: ['openFile'], filters: [{ name: 'Model packs', extensions: ['zip'] }] },
  // Only macOS lets one dialog pick a file or a folder, so a pack folder and a zipped pack are two kinds.
  modelPackFolder: { properties: ['openDirectory'], buttonLabel: 'Install this pack' },
  // A technician's own SD 1.5 checkpoint: .safetensors only, since a pickle is refused unread anyway.
  modelCheckpoint: { properties: ['openFile'], filters: [{ name: 'SD 1.5 checkpoints', extensions: ['safetensors'] }] },
  motifCollection: { properties: ['openDirectory'], buttonLabel: 'Import this collection' },
  techPackFolder: { properties: ['openDirectory', 'createDirectory'], buttonLabel: 'Export here' },
};
const SAVE_PDF: SaveDialogOptions = { defaultPath: 'techpack.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] };

/**
 * The main side's own file dialog: the only way a path the renderer names becomes one the studio
 * uses (host/renderer-paths.ts). Null when the user cancelled.
 */
export async function choosePathInDialog(kind: PathKind, parent: BrowserWindow | null): Promise<string | null> {
  if (kind === 'techPackPdf') {
    const saved = parent ? await dialog.showSaveDialog(parent, SAVE_PDF) : await dialog.showSaveDialog(SAVE_PDF);
    return saved.canceled || !saved.filePath ? null : saved.filePath;
  }
  const options = OPEN[kind];
  const opened = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return opened.canceled ? null : (opened.filePaths[0] ?? null);
}
