import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createStudioApi } from '../../../shared/client';
import { AppError, contract, type Job } from '../../../shared/contract';
import { createDispatcher } from '../../../main/host/dispatch';
import { createHandlers } from '../../../main/host/handlers';
import { startWsBridge, type WsBridge } from '../../../main/host/ws-bridge';
import { Studio } from '../../../main/studio';
import { bridgeUrl, createWsTransport, type SocketFactory, type WsTransport } from './ws-transport';

// The renderer's transport against the real bridge and a real library; Node's `ws` stands in for
// the browser's WebSocket (same API), the e2e specs cover the browser's own.
const connect: SocketFactory = (url) => new WebSocket(url) as unknown as ReturnType<SocketFactory>;

describe('createWsTransport over the real bridge', () => {
  let dir: string;
  let studio: Studio;
  let bridge: WsBridge;
  const transports: WsTransport[] = [];

  const open = (url = bridge.url) => {
    const t = createWsTransport(url, { connect, retryMs: 20 });
    transports.push(t);
    return t;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-ws-transport-'));
    studio = Studio.open({ libraryDir: dir });
    bridge = await startWsBridge({ dispatch: createDispatcher(contract, createHandlers(studio)), events: studio.events });
  });

  afterEach(async () => {
    for (const t of transports.splice(0)) t.close();
    await bridge.close();
    await studio.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds the address the bridge expects', () => {
    expect(bridgeUrl(`127.0.0.1:${bridge.port}`, bridge.token)).toBe(bridge.url);
    expect(bridgeUrl('127.0.0.1:1', 'a b&c')).toBe('ws://127.0.0.1:1/bridge?token=a%20b%26c');
  });

  it('carries typed calls, including several sent before the socket opened', async () => {
    const api = createStudioApi(open());
    const [a, b] = await Promise.all([api.client.projects.create({ name: 'Shirt' }), api.client.projects.create({ name: 'Coat' })]);
    const list = await api.client.projects.list({});
    expect(list.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
    expect(studio.library.projects.get(a.id).name).toBe('Shirt');
  });

  it('turns an error answer into an AppError with the main side code and message', async () => {
    const api = createStudioApi(open());
    const err = await api.client.projects.create({ name: '  ' }).catch((e: unknown) => e);
    expect(AppError.is(err, 'BAD_REQUEST')).toBe(true);
    expect((err as AppError).message).toContain('A project needs a name.');
    expect(studio.library.projects.list()).toEqual([]);
  });

  it('delivers pushed events to subscribers of that event only', async () => {
    const api = createStudioApi(open());
    await api.client.system.ping({}); // connected
    const states: Job[] = [];
    const progress: unknown[] = [];
    const off = api.on('job.state', (job) => states.push(job));
    api.on('job.progress', (p) => progress.push(p));
    const job: Job = {
      id: '5b1f0c7e-4a3d-4c55-9f0e-2f6f8f1f6a01',
      kind: 'render',
      state: 'running',
      projectId: null,
      params: {},
      progress: null,
      result: null,
      error: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    studio.events.emit('job.state', job);
    await expect.poll(() => states.length).toBe(1);
    expect(states[0]).toEqual(job);
    expect(progress).toEqual([]);

    off();
    studio.events.emit('job.state', { ...job, state: 'succeeded' });
    await api.client.system.ping({}); // the event went out before this answer
    expect(states).toHaveLength(1);
  });

  it('answers with an error, never hangs, when the token is wrong', async () => {
    const transport = open(bridgeUrl(`127.0.0.1:${bridge.port}`, 'not-the-token'));
    const answer = await transport.invoke('system.ping', {});
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.message).toMatch(/Lost the connection/);
  });

  it('reconnects after the connection drops, and fails the calls that were in the air', async () => {
    // A TCP relay between transport and bridge lets the test cut the connection as a network would.
    const links = new Set<net.Socket>();
    let accepted = 0;
    let holdAnswers = false;
    let framesHeld = 0;
    const relay = net.createServer((inbound) => {
      accepted += 1;
      const outbound = net.connect(bridge.port, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        links.add(s);
        s.on('error', () => undefined);
        s.on('close', () => links.delete(s));
      }
      inbound.pipe(outbound);
      outbound.on('data', (chunk: Buffer) => {
        if (holdAnswers) framesHeld += 1;
        else inbound.write(chunk);
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const port = (relay.address() as net.AddressInfo).port;
      // The page names the bridge's own host, as a browser on the bridge's page would; the bridge refuses any other.
      const viaRelay: SocketFactory = (url) => new WebSocket(url, { headers: { Host: `127.0.0.1:${bridge.port}` } }) as unknown as ReturnType<SocketFactory>;
      const transport = createWsTransport(bridgeUrl(`127.0.0.1:${port}`, bridge.token), { connect: viaRelay, retryMs: 20 });
      transports.push(transport);
      const api = createStudioApi(transport);
      await api.client.projects.create({ name: 'Before the cut' });

      expect(accepted).toBe(1);

      // A call whose answer never arrives before the cut is answered with an error, not left hanging.
      holdAnswers = true;
      const inTheAir = transport.invoke('system.ping', {});
      await expect.poll(() => framesHeld).toBeGreaterThan(0);
      for (const s of links) s.destroy();
      expect(await inTheAir).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      holdAnswers = false;

      // The transport notices the drop and dials again without being asked.
      await expect.poll(() => accepted).toBe(2);

      // The same transport comes back on its own and serves the next call.
      const after = await api.client.projects.create({ name: 'After the cut' });
      expect(studio.library.projects.get(after.id).name).toBe('After the cut');
      expect((await api.client.projects.list({})).map((p) => p.name).sort()).toEqual(['After the cut', 'Before the cut']);
    } finally {
      for (const s of links) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });

  it('answers every call after close() with an error', async () => {
    const transport = open();
    transport.close();
    const answer = await transport.invoke('system.ping', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
