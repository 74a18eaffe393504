/**
 * URL of a library file for <img>: the app serves the library's file store (files/ab/<sha256>) under
 * jinxiu://library/, so a file is jinxiu://library/ab/<sha256>.
 */
export function libraryFileUrl(sha256: string): string {
  return `jinxiu://library/${sha256.slice(0, 2)}/${sha256}`;
}
