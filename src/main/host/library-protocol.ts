import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/contract';

/** The custom scheme that serves library files to the renderer: `jinxiu://library/<relative path>`. */
export const LIBRARY_SCHEME = 'jinxiu';
export const LIBRARY_HOST = 'library';

/**
 * Maps a `jinxiu://library/...` URL to the real path of a file inside the library folder, or throws.
 *
 * Plain Node on purpose (no electron import) so every escape attempt is unit-tested with real files.
 * Defence in depth: segments that could climb or jump (`..`, `.`, encoded separators, backslashes,
 * drive letters, NUL) are refused outright instead of being normalised away, then the lexical join
 * is checked to stay inside the folder, and finally both sides are realpath'd so a symlink inside
 * the library that points outside it is refused too.
 *
 * @throws AppError PATH_OUTSIDE_LIBRARY for anything that tries to leave the folder,
 *         NOT_FOUND for a well-formed path that names no regular file.
 */
export function resolveLibraryUrl(libraryDir: string, url: string): string {
  if (url.includes('\0')) throw outside(url, 'it contains a NUL byte');

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('NOT_FOUND', `"${clip(url)}" is not a library URL.`);
  }
  if (parsed.protocol !== `${LIBRARY_SCHEME}:` || parsed.hostname.toLowerCase() !== LIBRARY_HOST) {
    throw new AppError('NOT_FOUND', `"${clip(url)}" is not a ${LIBRARY_SCHEME}://${LIBRARY_HOST}/ URL.`);
  }
  if (parsed.username || parsed.password || parsed.port) {
    throw new AppError('NOT_FOUND', `"${clip(url)}" is not a plain library URL.`);
  }

  // The URL parser already collapses literal and %2e-encoded dot segments, which would silently map
  // an attack onto a harmless-looking path; check the raw text too so such a URL is refused, not
  // quietly rewritten.
  const rawPath = rawPathOf(url);
  const segments: string[] = [];
  for (const rawSegment of rawPath.split('/')) {
    if (rawSegment === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      throw new AppError('NOT_FOUND', `"${clip(url)}" has a broken percent-encoding.`);
    }
    if (segment.includes('\0')) throw outside(url, 'it contains a NUL byte');
    if (segment === '.' || segment === '..') throw outside(url, 'it contains a dot segment');
    if (segment.includes('/') || segment.includes('\\')) throw outside(url, 'it contains an encoded path separator');
    if (/^[a-zA-Z]:/.test(segment)) throw outside(url, 'it names a drive');
    // On Windows a colon also opens an alternate data stream (`file.png:hidden`).
    if (process.platform === 'win32' && segment.includes(':')) throw outside(url, 'it contains a colon');
    segments.push(segment);
  }
  if (segments.length === 0) throw new AppError('NOT_FOUND', 'The library URL names no file.');

  let root: string;
  try {
    root = fs.realpathSync.native(libraryDir);
  } catch {
    throw new AppError('NOT_FOUND', `The library folder ${libraryDir} does not exist.`);
  }
  const candidate = path.resolve(root, ...segments);
  if (!isInside(root, candidate)) throw outside(url, 'it resolves outside the library folder');

  let real: string;
  try {
    real = fs.realpathSync.native(candidate);
  } catch {
    throw new AppError('NOT_FOUND', `There is no library file at ${segments.join('/')}.`);
  }
  if (!isInside(root, real)) throw outside(url, 'it is a link to a place outside the library folder');
  if (!fs.statSync(real).isFile()) throw new AppError('NOT_FOUND', `${segments.join('/')} is not a file.`);
  return real;
}

/** Content types of what the library holds; anything else is served as opaque bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
};

/**
 * Answers one `jinxiu://library/...` request (the body of Electron's protocol.handle, kept here so
 * it runs under plain Node). Library files are data, never documents: the response forbids scripts
 * and sniffing, so even a hostile SVG in the library cannot run when opened.
 */
export async function serveLibraryRequest(libraryDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Library files are read-only.', { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  let file: string;
  try {
    file = resolveLibraryUrl(libraryDir, request.url);
  } catch (err) {
    const status = AppError.is(err, 'PATH_OUTSIDE_LIBRARY') ? 403 : 404;
    return new Response(err instanceof Error ? err.message : 'Not found.', { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const body = request.method === 'HEAD' ? null : await fs.promises.readFile(file);
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(body?.length ?? fs.statSync(file).size),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
      'cache-control': 'no-cache',
    },
  });
}

/** Separator-aware containment: `/lib-other` is not inside `/lib`. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

/** The path part of the URL text as written, before the parser normalises dot segments. */
function rawPathOf(url: string): string {
  const afterScheme = url.slice(url.indexOf(':') + 1).replace(/^[/\\]{2}[^/\\?#]*/, '');
  const end = afterScheme.search(/[?#]/);
  return end === -1 ? afterScheme : afterScheme.slice(0, end);
}

function outside(url: string, why: string): AppError {
  return new AppError('PATH_OUTSIDE_LIBRARY', `Refused "${clip(url)}": ${why}.`);
}

function clip(text: string): string {
  const printable = text.replace(/\0/g, '\\0');
  return printable.length > 200 ? `${printable.slice(0, 200)}…` : printable;
}
