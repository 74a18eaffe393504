import { BRIDGE_PATH, BridgeAnswerSchema, BridgeEventSchema } from '../../../shared/bridge-protocol';
import type { Envelope } from '../../../shared/contract';
import type { Transport } from '../../../shared/client';

/** The part of the WebSocket API the transport uses; the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((this: never, ev: never) => unknown) | null;
  onclose: ((this: never, ev: never) => unknown) | null;
  onerror: ((this: never, ev: never) => unknown) | null;
  onmessage: ((this: never, ev: { data: unknown }) => unknown) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface WsTransport extends Transport {
  close(): void;
}

export interface WsTransportOptions {
  /** Defaults to the global WebSocket (the browser's). */
  connect?: SocketFactory;
  /** First reconnect delay in ms; it doubles up to 5 s. */
  retryMs?: number;
}

const OPEN = 1;

/** ws://host/bridge?token=...: the address the bridge expects. */
export function bridgeUrl(host: string, token: string): string {
  return `ws://${host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`;
}

/**
 * A Transport over the loopback bridge. Requests sent while the socket is (re)connecting wait in a
 * queue; when the connection drops, the requests in flight are answered with an error envelope
 * (the main side may or may not have run them, so they are never resent) and the socket reconnects.
 */
export function createWsTransport(url: string, options: WsTransportOptions = {}): WsTransport {
  const connect: SocketFactory = options.connect ?? ((u) => new WebSocket(u) as unknown as SocketLike);
  const firstRetry = options.retryMs ?? 250;
  const pending = new Map<number, (answer: Envelope) => void>();
  const queue: string[] = [];
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let retry = firstRetry;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const lost = (reason: string): Envelope => ({
    ok: false,
    error: { code: 'INTERNAL', message: `Lost the connection to the studio: ${reason}` },
  });

  function open(): void {
    const ws = connect(url);
    socket = ws;
    ws.onopen = () => {
      retry = firstRetry;
      for (const frame of queue.splice(0)) ws.send(frame);
    };
    ws.onmessage = (ev) => receive(ev.data);
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      // Everything waiting, sent or still queued, is answered now; a queued frame must not go out
      // on the next connection after its caller was told it failed.
      queue.length = 0;
      for (const [id, resolve] of pending) {
        pending.delete(id);
        resolve(lost('the connection closed before the answer came.'));
      }
      if (!closed) {
        timer = setTimeout(open, retry);
        retry = Math.min(retry * 2, 5000);
      }
    };
    // An error is always followed by close; close does the clean-up.
    ws.onerror = () => undefined;
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    const answer = BridgeAnswerSchema.safeParse(frame);
    if (answer.success) {
      const { id } = answer.data;
      if (id === null) return;
      const resolve = pending.get(id);
      pending.delete(id);
      resolve?.(answer.data.answer as Envelope);
      return;
    }
    const event = BridgeEventSchema.safeParse(frame);
    if (event.success) for (const l of listeners) l(event.data.event, event.data.payload);
  }

  return {
    invoke(channel, payload) {
      if (closed) return Promise.resolve(lost('the transport was closed.'));
      const id = nextId++;
      const frame = JSON.stringify({ id, channel, payload });
      return new Promise<Envelope>((resolve) => {
        pending.set(id, resolve);
        if (!socket) open();
        if (socket && socket.readyState === OPEN) socket.send(frame);
        else queue.push(frame);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!socket && !closed) open();
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const ws = socket;
      socket = null;
      ws?.close();
      queue.length = 0;
      for (const [id, resolve] of pending) {
        pending.delete(id);
        resolve(lost('the transport was closed.'));
      }
    },
  };
}
