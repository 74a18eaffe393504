import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { BRIDGE_PATH, BridgeRequestSchema, type BridgeAnswer, type BridgeEvent } from '../../shared/bridge-protocol';
import { AppError, type Envelope } from '../../shared/contract';
import { describeIssues, fail, type Dispatch } from './dispatch';
import type { EventBus } from '../events';

/** A request frame larger than this is answered with BAD_REQUEST (the connection stays open). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
/**
 * Frames past this are dropped by ws itself, closing the connection (1009): beyond a point, reading
 * a frame just to refuse it is the attack. Between the two limits the client gets a clear answer.
 */
export const HARD_FRAME_LIMIT_BYTES = 4 * MAX_REQUEST_BYTES;

const LOOPBACK = '127.0.0.1';

export interface WsBridgeOptions {
  dispatch: Dispatch;
  events: EventBus;
  /** Attach to this server (the harness serves the renderer and the bridge on one port). */
  server?: http.Server;
  /** Port for a server of our own, or for `server` when it is not listening yet; 0 (default) picks one. */
  port?: number;
}

export interface WsBridge {
  /** ws://127.0.0.1:PORT/bridge?token=TOKEN */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * The loopback WebSocket transport (wire format in src/shared/bridge-protocol.ts). Anyone on the
 * machine can reach a loopback port, and any web page can open a WebSocket to it, so every upgrade
 * must carry this start's random token; without it the socket is refused with 401 before a single
 * frame is read. A token alone is one leak away from any page, so the upgrade must also name this
 * port's own host (a DNS-rebinding page names its own) and, from a browser, come from this port's
 * own page (see checkHostAndOrigin).
 */
export async function startWsBridge(options: WsBridgeOptions): Promise<WsBridge> {
  const { dispatch, events } = options;
  const ownServer = !options.server;
  const server = options.server ?? http.createServer((_req, res) => res.writeHead(404).end());
  const token = crypto.randomBytes(32).toString('hex');
  const tokenDigest = digest(token);

  // UTF-8 is checked per frame below, so a bad frame gets an answer instead of a 1007 close.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: HARD_FRAME_LIMIT_BYTES,
    perMessageDeflate: false,
    skipUTF8Validation: true,
  });

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const { pathname, presented } = parseTarget(req.url);
    if (pathname !== BRIDGE_PATH) {
      // Another upgrade listener on a shared server (e.g. a dev server's HMR socket) owns other paths.
      if (server.listenerCount('upgrade') > 1) return;
      refuse(socket, 404, 'Not Found');
      return;
    }
    if (presented === null || !crypto.timingSafeEqual(digest(presented), tokenDigest)) {
      refuse(socket, 401, 'Unauthorized');
      return;
    }
    const refusal = checkHostAndOrigin(req.headers, (server.address() as AddressInfo).port);
    if (refusal) {
      refuse(socket, refusal.status, refusal.reason, refusal.message);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void answerFrame(ws, data, isBinary, dispatch);
    });
    // A client that goes away mid-request must not crash the process.
    ws.on('error', () => ws.terminate());
  });

  const unsubscribe = events.subscribe((event, payload) => {
    let text: string;
    try {
      text = JSON.stringify({ event, payload } satisfies BridgeEvent);
    } catch {
      return;
    }
    for (const client of wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      // A client that stopped reading would otherwise make main buffer every event forever.
      if (client.bufferedAmount > HARD_FRAME_LIMIT_BYTES) client.terminate();
      else client.send(text);
    }
  });

  server.on('upgrade', onUpgrade);
  try {
    await ensureLoopbackListening(server, options.port ?? 0);
  } catch (err) {
    server.off('upgrade', onUpgrade);
    unsubscribe();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | null = null;
  return {
    url: `ws://${LOOPBACK}:${port}${BRIDGE_PATH}?token=${token}`,
    port,
    token,
    close() {
      closed ??= (async () => {
        unsubscribe();
        server.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        if (ownServer) {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      })();
      return closed;
    },
  };
}

/** Answers one frame; never throws, never closes the connection. */
async function answerFrame(ws: WebSocket, data: RawData, isBinary: boolean, dispatch: Dispatch): Promise<void> {
  const reply = (answer: BridgeAnswer): void => {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(answer);
    } catch (err) {
      text = JSON.stringify({
        id: answer.id,
        answer: { ok: false, error: { code: 'INTERNAL', message: `The answer could not be serialised: ${String(err)}` } },
      } satisfies BridgeAnswer);
    }
    ws.send(text);
  };
  const badRequest = (message: string): void => reply({ id: null, answer: fail(new AppError('BAD_REQUEST', message)) });

  const bytes = frameLength(data);
  if (bytes > MAX_REQUEST_BYTES) {
    badRequest(`A bridge request may be at most ${MAX_REQUEST_BYTES} bytes; this one has ${bytes}.`);
    return;
  }
  if (isBinary) {
    badRequest('Bridge requests are JSON text frames, not binary frames.');
    return;
  }
  let text: string;
  try {
    text = utf8.decode(frameBytes(data));
  } catch {
    badRequest('The frame is not valid UTF-8 text.');
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    badRequest('The frame is not valid JSON.');
    return;
  }
  const request = BridgeRequestSchema.safeParse(json);
  if (!request.success) {
    badRequest(`The frame is not a bridge request ({ id, channel, payload }): ${describeIssues(request.error)}`);
    return;
  }
  const answer: Envelope = await dispatch(request.data.channel, request.data.payload);
  reply({ id: request.data.id, answer });
}

function frameLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function frameBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function parseTarget(rawUrl: string | undefined): { pathname: string | null; presented: string | null } {
  try {
    const url = new URL(rawUrl ?? '', `http://${LOOPBACK}`);
    return { pathname: url.pathname, presented: url.searchParams.get('token') };
  } catch {
    return { pathname: null, presented: null };
  }
}

/** Fixed-length digests so timingSafeEqual compares in constant time whatever length was presented. */
function digest(text: string): Buffer {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

interface Refusal {
  status: number;
  reason: string;
  message: string;
}

/**
 * The hosts a page of this bridge is reached by. Host must be one of them: a DNS-rebinding page
 * (evil.example resolved to 127.0.0.1) sends its own name. Origin, which every browser sends on an
 * upgrade and no page can forge, must be the page served on this port; a client without one is not
 * a browser page but a local process, which could read the token and set any header anyway.
 */
function checkHostAndOrigin(headers: http.IncomingHttpHeaders, port: number): Refusal | null {
  const hosts = [`${LOOPBACK}:${port}`, `localhost:${port}`];
  const host = (headers.host ?? '').toLowerCase();
  if (!hosts.includes(host)) {
    return {
      status: 421,
      reason: 'Misdirected Request',
      message: `The bridge answers only to Host ${hosts.join(' or ')}; this upgrade named ${JSON.stringify(headers.host ?? null).slice(0, 200)}.`,
    };
  }
  const origin = headers.origin;
  if (origin !== undefined && !hosts.map((h) => `http://${h}`).includes(origin.toLowerCase())) {
    return {
      status: 403,
      reason: 'Forbidden',
      message: `Only the studio's own page (http://${hosts.join(' or http://')}) may open the bridge; this upgrade came from ${JSON.stringify(origin).slice(0, 200)}.`,
    };
  }
  return null;
}

function refuse(socket: Duplex, status: number, reason: string, message = ''): void {
  // A client that resets the refused socket must not surface as an unhandled 'error'.
  socket.on('error', () => socket.destroy());
  socket.once('finish', () => socket.destroy());
  const body = Buffer.from(message, 'utf8');
  const type = body.length > 0 ? 'Content-Type: text/plain; charset=utf-8\r\n' : '';
  socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${type}Content-Length: ${body.length}\r\n\r\n`), body]));
}

/** Listens on 127.0.0.1 if not listening yet; refuses a server that already listens beyond loopback. */
async function ensureLoopbackListening(server: http.Server, port: number): Promise<void> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen(port, LOOPBACK, () => {
        server.off('error', onError);
        resolve();
      });
    });
  }
  const address = server.address();
  if (!address || typeof address === 'string' || !isLoopback(address.address)) {
    throw new AppError('INTERNAL', `The bridge only serves on ${LOOPBACK}; the server listens on ${JSON.stringify(address)}.`);
  }
}

function isLoopback(address: string): boolean {
  return address === LOOPBACK || address === '::ffff:127.0.0.1';
}
