import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppErrorSchema, type Project } from '../shared/contract';
import type { JinxiuWindowApi } from '../shared/jinxiu-window';
import { serveIpc, type WindowLike } from '../main/host/ipc';
import { IPC_EVENT } from '../shared/ipc-protocol';
import { FakeIpcMain, openTempStudio, type TempStudio } from '../main/host/transport-test-kit';

// Electron is not installed on this machine (its binary download is skipped), so the 'electron'
// module the preload imports is replaced by stand-ins at its boundary: contextBridge records what is
// exposed, and ipcRenderer talks to the real serveIpc adapter through FakeIpcMain, in front of a
// real Studio on a temp library. Everything from the preload inwards is the real code.

const APP_URL = 'file:///opt/jinxiu/out/renderer/index.html';

const boundary = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const state = {
    exposed: new Map<string, unknown>(),
    listeners: new Map<string, Set<Listener>>(),
    invoke: null as null | ((channel: string, ...args: unknown[]) => Promise<unknown>),
  };
  return state;
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => boundary.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => boundary.invoke!(channel, ...args),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      if (!boundary.listeners.has(channel)) boundary.listeners.set(channel, new Set());
      boundary.listeners.get(channel)!.add(listener);
    },
    off: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      boundary.listeners.get(channel)?.delete(listener);
    },
  },
}));

/** The window's webContents as seen from main: send() reaches the preload's ipcRenderer listeners. */
const window: WindowLike = {
  isDestroyed: () => false,
  webContents: {
    send: (channel: string, ...args: unknown[]) => {
      const cloned = structuredClone(args);
      for (const listener of boundary.listeners.get(channel) ?? []) listener({ senderId: 0 }, ...cloned);
    },
  },
};

let temp: TempStudio;
let stop: () => void;
let jinxiu: JinxiuWindowApi;

beforeAll(async () => {
  temp = openTempStudio();
  const ipc = new FakeIpcMain();
  stop = serveIpc(ipc, temp.dispatch, temp.studio.events, () => [window], { appUrl: APP_URL });
  boundary.invoke = (channel, ...args) => ipc.invoke(`${APP_URL}#/`, channel, ...args);
  await import('./index');
  jinxiu = boundary.exposed.get('jinxiu') as JinxiuWindowApi;
});

afterAll(async () => {
  stop();
  await temp.close();
});

/** What contextBridge can copy faithfully: plain objects whose leaves are functions. */
function assertPlainTreeOfFunctions(value: unknown, at: string): void {
  if (typeof value === 'function') return;
  expect(Object.getPrototypeOf(value), at).toBe(Object.prototype);
  for (const [key, child] of Object.entries(value as object)) assertPlainTreeOfFunctions(child, `${at}.${key}`);
}

describe('the preload', () => {
  it('exposes only `jinxiu` with { client, on }, as plain objects of functions', () => {
    expect([...boundary.exposed.keys()]).toEqual(['jinxiu']);
    expect(Object.keys(jinxiu).sort()).toEqual(['client', 'on']);
    assertPlainTreeOfFunctions(jinxiu, 'jinxiu');
    expect(typeof jinxiu.client.projects.create).toBe('function');
    expect(typeof jinxiu.client.system.ping).toBe('function');
  });

  it('calls the real handlers through IPC', async () => {
    const created: Project = await jinxiu.client.projects.create({ name: 'Hanfu ruqun' });
    expect(created.name).toBe('Hanfu ruqun');
    const list = await jinxiu.client.projects.list({});
    expect(list.map((p) => p.id)).toContain(created.id);
  });

  it('rejects with plain AppError data that survives contextBridge, keeping the code', async () => {
    const rejection: unknown = await jinxiu.client.projects.get({ id: crypto.randomUUID() }).then(
      () => 'resolved',
      (err: unknown) => err,
    );
    // contextBridge would strip everything but the message from an Error; a plain object survives.
    expect(rejection).not.toBeInstanceOf(Error);
    expect(Object.getPrototypeOf(rejection)).toBe(Object.prototype);
    expect(AppErrorSchema.parse(rejection).code).toBe('NOT_FOUND');

    const bad: unknown = await (jinxiu.client.projects.create as (r: unknown) => Promise<unknown>)({ name: 42 }).catch((e: unknown) => e);
    expect(AppErrorSchema.parse(bad).code).toBe('BAD_REQUEST');
  });

  it('turns a request IPC cannot clone into BAD_REQUEST instead of an opaque error', async () => {
    const call = jinxiu.client.projects.create as (r: unknown) => Promise<unknown>;
    const err: unknown = await call({ name: () => 'a function' }).catch((e: unknown) => e);
    expect(AppErrorSchema.parse(err).code).toBe('BAD_REQUEST');
  });

  it('delivers events to subscribers until they unsubscribe, and not to other event names', () => {
    const seen: unknown[] = [];
    const unsubscribe = jinxiu.on('job.progress', (payload) => seen.push(payload));
    const id = crypto.randomUUID();
    temp.studio.events.emit('job.progress', { id, kind: 'render', progress: { fraction: 0.1 } });
    unsubscribe();
    temp.studio.events.emit('job.progress', { id, kind: 'render', progress: { fraction: 0.2 } });
    expect(seen).toEqual([{ id, kind: 'render', progress: { fraction: 0.1 } }]);
    expect(boundary.listeners.get(IPC_EVENT)?.size ?? 0).toBe(0);
  });

  it('refuses a non-function listener', () => {
    expect(() => (jinxiu.on as (e: unknown, l: unknown) => unknown)('job.progress', 'not a function')).toThrow(TypeError);
  });
});
