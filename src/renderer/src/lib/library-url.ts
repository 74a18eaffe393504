import { tokenFromHash } from './token';

/**
 * URL of a library file for <img>. The Electron app serves the library's file store (files/ab/<sha256>)
 * under jinxiu://library/, so a file is jinxiu://library/ab/<sha256>; the browser harness has no such
 * scheme and serves the same files, token-checked, at /library-files/<sha256> on its own origin.
 */
export function libraryFileUrl(sha256: string, win: Window = window): string {
  // The preload sets window.jinxiu; without it the page runs on the harness's WebSocket bridge.
  const viaElectron = (win as Window & { jinxiu?: unknown }).jinxiu !== undefined;
  const token = viaElectron ? null : tokenFromHash(win.location.hash);
  if (token) return `/library-files/${sha256}?token=${encodeURIComponent(token)}`;
  return `jinxiu://library/${sha256.slice(0, 2)}/${sha256}`;
}
