import { protocol } from 'electron';
import { LIBRARY_SCHEME, serveLibraryRequest } from '../host/library-protocol';

/**
 * Declares `jinxiu:` a standard, secure scheme, so `jinxiu://library/renders/x.png` parses like a
 * web URL and counts as a secure context. Must run before the app is ready.
 */
export function registerLibraryScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: LIBRARY_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves a folder of the library (its file store) on `jinxiu://library/...`; every path is confined by resolveLibraryUrl. */
export function serveLibraryScheme(libraryDir: string): () => void {
  protocol.handle(LIBRARY_SCHEME, (request) => serveLibraryRequest(libraryDir, request));
  return () => protocol.unhandle(LIBRARY_SCHEME);
}
