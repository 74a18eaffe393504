import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EventBus } from './events';
import { malformedRequests, openTempStudio, BridgeTestClient, type TempStudio } from './transport-test-kit';
import { MAX_REQUEST_BYTES, startWsBridge, type WsBridge } from './ws-bridge';

let temp: TempStudio;
let bridge: WsBridge;

beforeAll(async () => {
  temp = openTempStudio();
  bridge = await startWsBridge({ dispatch: temp.dispatch, events: temp.studio.events });
});

afterAll(async () => {
  await bridge.close();
  await temp.close();
});

/** The HTTP status an upgrade to `path` gets, or 101 when it is accepted. */
function upgradeStatus(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${target}`);
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (err) => {
      if (socket.readyState !== WebSocket.CLOSED) reject(err);
    });
  });
}

describe('the bridge token', () => {
  it('refuses no token, a wrong token, a token of another length and a wrong path; accepts the right one', async () => {
    expect(bridge.token).toMatch(/^[0-9a-f]{64}$/);
    expect(bridge.url).toBe(`ws://127.0.0.1:${bridge.port}/bridge?token=${bridge.token}`);
    const wrong = bridge.token.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(await upgradeStatus(bridge.port, '/bridge')).toBe(401);
    expect(await upgradeStatus(bridge.port, '/bridge?token=')).toBe(401);
    expect(await upgradeStatus(bridge.port, `/bridge?token=${wrong}`)).toBe(401);
    expect(await upgradeStatus(bridge.port, `/bridge?token=${bridge.token.slice(0, 10)}`)).toBe(401);
    expect(await upgradeStatus(bridge.port, `/bridge?token=${bridge.token}0`)).toBe(401);
    expect(await upgradeStatus(bridge.port, `/other?token=${bridge.token}`)).toBe(404);
    expect(await upgradeStatus(bridge.port, `/bridge/x?token=${bridge.token}`)).toBe(404);
    expect(await upgradeStatus(bridge.port, `/bridge?token=${bridge.token}`)).toBe(101);
  });

  it('is refused before any frame is read: a refused socket gets the 401 and is closed', async () => {
    // Speak raw HTTP, then push a WebSocket-looking frame after the head: the server must answer
    // 401 and close without ever treating the bytes as a request.
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(bridge.port, '127.0.0.1', () => {
        socket.write(
          'GET /bridge?token=nope HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
        socket.write(Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]));
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply.startsWith('HTTP/1.1 401 Unauthorized')).toBe(true);
    expect(reply).not.toContain('101');
  });

  it('gives every start a new token and a loopback URL', async () => {
    const other = await startWsBridge({ dispatch: temp.dispatch, events: new EventBus() });
    try {
      expect(other.token).not.toBe(bridge.token);
      expect(other.port).not.toBe(bridge.port);
      expect(other.url.startsWith('ws://127.0.0.1:')).toBe(true);
      // The old start's token does not open the new one.
      expect(await upgradeStatus(other.port, `/bridge?token=${bridge.token}`)).toBe(401);
      expect(await upgradeStatus(other.port, `/bridge?token=${other.token}`)).toBe(101);
    } finally {
      await other.close();
    }
  });
});

describe('requests over the bridge', () => {
  it('answers a request with its id and the envelope', async () => {
    const client = await BridgeTestClient.connect(bridge.url);
    try {
      const created = await client.request('projects.create', { name: 'Qipao block' });
      expect(created.ok).toBe(true);
      const list = await client.request('projects.list', {});
      expect(list.ok && (list.value as Array<{ name: string }>).map((p) => p.name)).toContain('Qipao block');
      const unknown = await client.request('projects.nope', {});
      expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    } finally {
      await client.close();
    }
  });

  it('answers BAD_REQUEST for every malformed request of every channel, changing nothing', async () => {
    const client = await BridgeTestClient.connect(bridge.url);
    try {
      const before = await client.request('projects.list', {});
      const cases = malformedRequests();
      expect(cases.length).toBeGreaterThan(30);
      for (const { channel, label, payload } of cases) {
        // JSON has no undefined: a request without a payload is a malformed frame, answered with id null.
        const answer =
          payload === undefined ? await client.sendRaw(JSON.stringify({ id: 1, channel })) : await client.request(channel, payload);
        expect(answer.ok, `${channel}: ${label}`).toBe(false);
        if (!answer.ok) {
          expect(answer.error.code, `${channel}: ${label}`).toBe('BAD_REQUEST');
          if (payload !== undefined) expect(answer.error.message).toContain(channel);
        }
      }
      expect(await client.request('projects.list', {})).toEqual(before);
      expect(client.open).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('answers malformed frames with id null and BAD_REQUEST, keeping the connection open', async () => {
    const client = await BridgeTestClient.connect(bridge.url);
    try {
      const frames: Array<[string, string | Buffer, boolean]> = [
        ['not JSON', '{"id": 1, "channel": ', false],
        ['empty', '', false],
        ['a JSON number', '17', false],
        ['a JSON array', '[1, "projects.list", {}]', false],
        ['no id', JSON.stringify({ channel: 'projects.list', payload: {} }), false],
        ['a negative id', JSON.stringify({ id: -1, channel: 'projects.list', payload: {} }), false],
        ['a fractional id', JSON.stringify({ id: 1.5, channel: 'projects.list', payload: {} }), false],
        ['a string id', JSON.stringify({ id: '1', channel: 'projects.list', payload: {} }), false],
        ['a numeric channel', JSON.stringify({ id: 1, channel: 7, payload: {} }), false],
        ['a channel over 200 characters', JSON.stringify({ id: 1, channel: 'x'.repeat(201), payload: {} }), false],
        ['a binary frame', Buffer.from(JSON.stringify({ id: 1, channel: 'projects.list', payload: {} })), true],
        ['invalid UTF-8 JSON', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false],
      ];
      for (const [label, frame, binary] of frames) {
        const answer = await client.sendRaw(frame, binary);
        expect(answer, label).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      }
      expect(client.open).toBe(true);
      expect((await client.request('system.ping', {})).ok).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('answers a frame over 16 MiB with BAD_REQUEST and keeps the connection open', async () => {
    const client = await BridgeTestClient.connect(bridge.url);
    try {
      const name = 'x'.repeat(MAX_REQUEST_BYTES);
      const answer = await client.sendRaw(JSON.stringify({ id: 1, channel: 'projects.create', payload: { name } }));
      expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(!answer.ok && answer.error.message).toContain(String(MAX_REQUEST_BYTES));
      expect(client.open).toBe(true);
      const list = await client.request('projects.list', {});
      expect(list.ok && (list.value as Array<{ name: string }>).some((p) => p.name.length > 200)).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe('events', () => {
  it('pushes bus events to every connected client', async () => {
    const a = await BridgeTestClient.connect(bridge.url);
    const b = await BridgeTestClient.connect(bridge.url);
    try {
      const id = crypto.randomUUID();
      temp.studio.events.emit('job.progress', { id, kind: 'render', progress: { fraction: 0.5, step: 25, total: 50 } });
      for (const client of [a, b]) {
        const event = await client.waitForEvent((e) => e.event === 'job.progress');
        expect(event.payload).toEqual({ id, kind: 'render', progress: { fraction: 0.5, step: 25, total: 50 } });
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('stops pushing once the bridge is closed', async () => {
    const events = new EventBus();
    const own = await startWsBridge({ dispatch: temp.dispatch, events });
    const client = await BridgeTestClient.connect(own.url);
    const closed = new Promise<void>((resolve) => client.socket.once('close', () => resolve()));
    await own.close();
    await closed;
    // No listener is left on the bus: emitting reaches nobody and does not throw.
    events.emit('job.progress', { id: crypto.randomUUID(), kind: 'render', progress: { fraction: 1 } });
    expect(client.events).toEqual([]);
  });
});

describe('attaching to an existing server', () => {
  it('serves /bridge on the server it is given and leaves plain HTTP to it', async () => {
    const server = http.createServer((_req, res) => res.end('renderer'));
    const attached = await startWsBridge({ dispatch: temp.dispatch, events: temp.studio.events, server });
    try {
      expect(server.listening).toBe(true);
      expect((server.address() as net.AddressInfo).address).toBe('127.0.0.1');
      const page = await fetch(`http://127.0.0.1:${attached.port}/index.html`).then((r) => r.text());
      expect(page).toBe('renderer');
      const client = await BridgeTestClient.connect(attached.url);
      expect((await client.request('system.ping', {})).ok).toBe(true);
      await client.close();
      expect(await upgradeStatus(attached.port, '/bridge')).toBe(401);
    } finally {
      await attached.close();
    }
    // Closing the bridge leaves the harness's server running; it is the harness's to close.
    expect(server.listening).toBe(true);
    expect(await fetch(`http://127.0.0.1:${attached.port}/`).then((r) => r.text())).toBe('renderer');
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a server that listens beyond loopback', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    try {
      await expect(startWsBridge({ dispatch: temp.dispatch, events: temp.studio.events, server })).rejects.toThrow(/127\.0\.0\.1/);
      expect(server.listenerCount('upgrade')).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
