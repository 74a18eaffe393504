import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { contract } from '../../shared/contract';
import { Studio } from '../studio';
import { createDispatcher } from './dispatch';
import { createHandlers } from './handlers';
import { RendererPaths } from './renderer-paths';
import { startWsBridge } from './ws-bridge';
import { resolveLibraryUrl } from './library-protocol';

/**
 * The browser harness: one Studio, its renderer served over http://127.0.0.1 and the WebSocket
 * bridge on the same port, so the React app runs in any browser against the very same services as
 * the Electron app. Used by `npm run studio` and by the e2e tests (in-process).
 */
export interface HarnessOptions {
  libraryDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (index.html and assets); defaults to out/renderer. */
  rendererDir?: string;
  /** A model catalogue file to use instead of the app's resources/models/catalogue.json; read afresh on each call. */
  modelsCatalogue?: string;
  /** Recipe folders (recipes/<id>/recipe.json) to assemble the catalogue's recipes from instead of the app's. */
  modelsRecipes?: string;
  /**
   * Folders whose files the page may name by path (a swatch photo to import, a tech pack to export
   * to): a browser has no dialog of the main side's to choose them with, so the person starting the
   * harness picks them here. None by default.
   */
  pickedFolders?: readonly string[];
}

export interface Harness {
  /** http://127.0.0.1:PORT/#token=TOKEN: the fragment never reaches a server or its logs. */
  url: string;
  origin: string;
  port: number;
  token: string;
  studio: Studio;
  close(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = path.resolve('out/renderer');

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a request path to a file inside `root`, or null. Decoding happens once, before the check, so
 * `%2e%2e/` cannot slip past it; the real path is checked too, so a symlink cannot lead outside.
 */
export function resolveStaticPath(root: string, requestUrl: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://127.0.0.1').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname.endsWith('/')) pathname += 'index.html';
  const realRoot = fs.realpathSync(root);
  const candidate = path.resolve(realRoot, `.${pathname}`);
  if (!isInside(realRoot, candidate)) return null;
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return null;
  }
  if (!isInside(realRoot, real) || !fs.statSync(real).isFile()) return null;
  return real;
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** `/library-files/<sha256>?token=...`: the browser harness's stand-in for jinxiu://library/<ab>/<sha256>. */
export const LIBRARY_FILES_PATH = '/library-files/';

/** What the harness needs to serve the library's file store next to the renderer. */
export interface LibraryFilesRoute {
  /** The file store folder (<library>/files), the same root jinxiu:// serves. */
  filesDir: string;
  /** This start's bridge token, or null before the bridge is up (every request is refused then). */
  token(): string | null;
  /** The stored content type of a file, so <img> gets image/png rather than opaque bytes. */
  mime(sha256: string): string | null;
}

const tokenDigest = (text: string): Buffer => crypto.createHash('sha256').update(text, 'utf8').digest();

/**
 * Answers a library-file request, or returns false when the path is not one. Read-only, token-checked
 * in constant time (any page may reach a loopback port), and confined by the same checks as jinxiu://
 * (a sha256 only, then resolveLibraryUrl's containment and symlink checks).
 */
function serveLibraryFile(route: LibraryFilesRoute, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return false;
  }
  if (!url.pathname.startsWith(LIBRARY_FILES_PATH)) return false;
  const send = (status: number, text: string) =>
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(text);
  const expected = route.token();
  const presented = url.searchParams.get('token');
  if (expected === null || presented === null || !crypto.timingSafeEqual(tokenDigest(presented), tokenDigest(expected))) {
    send(401, 'A library file needs this start\'s token.');
    return true;
  }
  const sha = url.pathname.slice(LIBRARY_FILES_PATH.length);
  if (!/^[0-9a-f]{64}$/.test(sha)) {
    send(404, 'A library file is named by its sha256.');
    return true;
  }
  let file: string;
  try {
    file = resolveLibraryUrl(route.filesDir, `jinxiu://library/${sha.slice(0, 2)}/${sha}`);
  } catch {
    send(404, 'No such library file.');
    return true;
  }
  res.writeHead(200, {
    'Content-Type': route.mime(sha) ?? 'application/octet-stream',
    'Content-Length': fs.statSync(file).size,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  if (req.method === 'HEAD') res.end();
  else
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  return true;
}

/** Serves the built renderer: GET/HEAD only, known hosts only (a DNS-rebinding page has another Host). */
export function createRendererServer(rendererDir: string, libraryFiles?: LibraryFilesRoute): http.Server {
  const server = http.createServer((req, res) => {
    const send = (status: number, text: string) =>
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(text);
    const port = (server.address() as { port?: number } | null)?.port;
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(421, 'Unknown host.');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(405, 'Only GET and HEAD are served.');
    }
    if (libraryFiles && serveLibraryFile(libraryFiles, req, res)) return;
    const file = resolveStaticPath(rendererDir, req.url ?? '/');
    if (!file) return send(404, 'Not found.');
    res.writeHead(200, {
      'Content-Type': mimeType(file),
      'Content-Length': fs.statSync(file).size,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  return server;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const rendererDir = path.resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR);
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir} (index.html is missing). Build it first: npx electron-vite build`);
  }
  // Before the library opens, so a picked folder that does not exist changes nothing.
  const paths = new RendererPaths({ folders: options.pickedFolders ?? [], forbidden: [options.libraryDir] });
  const studio = Studio.open({ libraryDir: options.libraryDir, cataloguePath: options.modelsCatalogue, recipesDir: options.modelsRecipes }).start();
  let token: string | null = null;
  const server = createRendererServer(rendererDir, {
    filesDir: path.join(studio.library.dir, 'files'),
    token: () => token,
    mime: (sha) => {
      try {
        return studio.library.files.get(sha).mime;
      } catch {
        return null;
      }
    },
  });
  try {
    const dispatch = createDispatcher(contract, createHandlers(studio, paths));
    const bridge = await startWsBridge({ dispatch, events: studio.events, server, port: options.port ?? 0 });
    token = bridge.token;
    const origin = `http://127.0.0.1:${bridge.port}`;
    let closing: Promise<void> | null = null;
    return {
      url: `${origin}/#token=${bridge.token}`,
      origin,
      port: bridge.port,
      token: bridge.token,
      studio,
      close() {
        closing ??= (async () => {
          await bridge.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
          await studio.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    server.close();
    await studio.close();
    throw err;
  }
}
