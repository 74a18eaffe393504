import { dialog } from 'electron';

/** A blocking error box for failures before any window exists (a corrupt library, a failed migration). */
export function showFatalError(title: string, message: string): void {
  dialog.showErrorBox(title, message);
}
