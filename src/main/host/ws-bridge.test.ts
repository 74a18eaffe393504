import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EventBus } from '../events';
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

/** The raw reply to an upgrade with this start's valid token and exactly these extra headers. */
function upgradeReply(port: number, token: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const extra = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(
        `GET /bridge?token=${token} HTTP/1.1\r\n${extra}Upgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      // An accepted upgrade stays open; its head is all there is to read.
      if (text.startsWith('HTTP/1.1 101') && text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('who may open the bridge besides the token', () => {
  const projectsNow = async () => (await temp.dispatch('projects.list', {})) as { ok: true; value: unknown[] };

  it('refuses a foreign Origin that holds the valid token, saying which origins it takes', async () => {
    const before = await projectsNow();
    const host = `127.0.0.1:${bridge.port}`;
    for (const origin of ['http://evil.example', `http://evil.example:${bridge.port}`, 'null', `https://127.0.0.1:${bridge.port}`, 'http://127.0.0.1:1']) {
      const reply = await upgradeReply(bridge.port, bridge.token, { Host: host, Origin: origin });
      expect(reply.startsWith('HTTP/1.1 403 Forbidden\r\n'), origin).toBe(true);
      expect(reply).toContain(
        `Only the studio's own page (http://127.0.0.1:${bridge.port} or http://localhost:${bridge.port}) may open the bridge; this upgrade came from "${origin}".`,
      );
    }
    // The browser API refuses the same way: the socket never opens.
    const browserLike = new WebSocket(bridge.url, { origin: 'https://attacker.example' });
    browserLike.on('error', () => undefined);
    const status = await new Promise<number>((resolve) => {
      browserLike.once('open', () => resolve(101));
      browserLike.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
    browserLike.terminate();
    expect(status).toBe(403);
    expect(await projectsNow()).toEqual(before);
  });

  it('refuses a Host other than its own (DNS rebinding) even with the token and a matching Origin', async () => {
    const before = await projectsNow();
    const cases: Array<[Record<string, string>, string]> = [
      [{ Host: `evil.example:${bridge.port}`, Origin: `http://evil.example:${bridge.port}` }, `"evil.example:${bridge.port}"`],
      [{ Host: `127.0.0.1:${bridge.port + 1}` }, `"127.0.0.1:${bridge.port + 1}"`],
      [{ Host: '127.0.0.1' }, '"127.0.0.1"'],
      [{}, 'null'],
    ];
    for (const [headers, named] of cases) {
      const reply = await upgradeReply(bridge.port, bridge.token, headers);
      expect(reply.startsWith('HTTP/1.1 421 Misdirected Request\r\n'), named).toBe(true);
      expect(reply).toContain(`The bridge answers only to Host 127.0.0.1:${bridge.port} or localhost:${bridge.port}; this upgrade named ${named}.`);
    }
    expect(await projectsNow()).toEqual(before);
  });

  it("accepts its own page's origin under either loopback name, and a client that sends no Origin", async () => {
    for (const name of ['127.0.0.1', 'localhost', 'LOCALHOST']) {
      const reply = await upgradeReply(bridge.port, bridge.token, { Host: `${name}:${bridge.port}`, Origin: `http://${name}:${bridge.port}` });
      expect(reply.startsWith('HTTP/1.1 101'), name).toBe(true);
    }
    expect((await upgradeReply(bridge.port, bridge.token, { Host: `127.0.0.1:${bridge.port}` })).startsWith('HTTP/1.1 101')).toBe(true);
    // The token is still checked first: the right host and origin without it get 401.
    expect((await upgradeReply(bridge.port, 'nope', { Host: `127.0.0.1:${bridge.port}`, Origin: `http://127.0.0.1:${bridge.port}` })).startsWith('HTTP/1.1 401')).toBe(true);
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
