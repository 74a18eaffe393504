import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, contract, type Envelope } from '../../shared/contract';
import { EventBus } from '../events';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc-protocol';
import { isAppUrl, serveIpc, type WindowLike } from './ipc';
import { FakeIpcMain, malformedRequests, openTempStudio, type TempStudio } from './transport-test-kit';

// Electron is not installed on this machine (its binary download is skipped), so ipcMain is the
// in-memory FakeIpcMain from the test kit: it clones arguments and answers like Electron does.
// The dispatcher, handlers and Studio behind it are the real ones on a temp library.

const APP_URL = 'file:///opt/jinxiu/resources/app.asar/out/renderer/index.html';

let temp: TempStudio;

beforeAll(() => {
  temp = openTempStudio();
});

afterAll(async () => {
  await temp.close();
});

class FakeWindow implements WindowLike {
  destroyed = false;
  readonly sent: unknown[][] = [];
  readonly webContents = {
    send: (channel: string, ...args: unknown[]) => {
      this.sent.push([channel, ...structuredClone(args)]);
    },
  };
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function serve(events: EventBus = temp.studio.events, windows: FakeWindow[] = []) {
  const ipc = new FakeIpcMain();
  const stop = serveIpc(ipc, temp.dispatch, events, () => windows, { appUrl: APP_URL });
  const invoke = (channel: unknown, payload: unknown, frameUrl: string | null = `${APP_URL}#/projects`) =>
    ipc.invoke(frameUrl, IPC_INVOKE, channel, payload) as Promise<Envelope>;
  return { ipc, stop, invoke };
}

describe('serveIpc', () => {
  it('answers requests from the app frame with envelopes', async () => {
    const { invoke, stop } = serve();
    try {
      const created = await invoke('projects.create', { name: 'Mamianqun' });
      expect(created).toMatchObject({ ok: true, value: { name: 'Mamianqun' } });
      const list = await invoke('projects.list', {});
      expect(list.ok && (list.value as Array<{ name: string }>).map((p) => p.name)).toContain('Mamianqun');
      expect(await invoke('projects.nope', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      expect(await invoke(42, {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    } finally {
      stop();
    }
  });

  it('refuses frames that are not the app with UNAUTHORIZED, before any handler runs', async () => {
    const { invoke, stop } = serve();
    try {
      const before = await invoke('projects.list', {});
      for (const frame of [
        null,
        'https://evil.example/',
        'file:///tmp/downloaded.html',
        'file:///opt/jinxiu/resources/app.asar/out/renderer/index.html.evil',
        'http://localhost:5173/',
        'about:blank',
        'not a url',
      ]) {
        const answer = await invoke('projects.create', { name: 'Injected' }, frame);
        expect(answer, String(frame)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      }
      expect(await invoke('projects.list', {})).toEqual(before);
    } finally {
      stop();
    }
  });

  it('answers BAD_REQUEST for every malformed request of every channel, changing nothing', async () => {
    const { invoke, stop } = serve();
    try {
      const before = await invoke('projects.list', {});
      for (const { channel, label, payload } of malformedRequests()) {
        const answer = await invoke(channel, payload);
        expect(answer, `${channel}: ${label}`).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      }
      for (const channel of channelNames(contract)) {
        expect(await invoke(`${channel}x`, {}), channel).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      }
      expect(await invoke('projects.list', {})).toEqual(before);
    } finally {
      stop();
    }
  });

  it('forwards bus events to every live window, skipping destroyed ones', () => {
    const events = new EventBus();
    const open = new FakeWindow();
    const gone = new FakeWindow();
    gone.destroyed = true;
    const { stop } = serve(events, [open, gone]);
    const id = crypto.randomUUID();
    events.emit('job.progress', { id, kind: 'render', progress: { fraction: 0.25 } });
    expect(open.sent).toEqual([[IPC_EVENT, 'job.progress', { id, kind: 'render', progress: { fraction: 0.25 } }]]);
    expect(gone.sent).toEqual([]);
    stop();
    events.emit('job.progress', { id, kind: 'render', progress: { fraction: 0.5 } });
    expect(open.sent).toHaveLength(1);
  });

  it('removes its handler when stopped, so it can be served again', () => {
    const { ipc, stop } = serve();
    expect(ipc.channels).toEqual([IPC_INVOKE]);
    stop();
    expect(ipc.channels).toEqual([]);
    serveIpc(ipc, temp.dispatch, new EventBus(), () => [], { appUrl: APP_URL })();
  });
});

describe('isAppUrl', () => {
  it('matches the same file for file: apps, ignoring query and hash', () => {
    expect(isAppUrl(`${APP_URL}`, APP_URL)).toBe(true);
    expect(isAppUrl(`${APP_URL}?x=1#/motifs`, APP_URL)).toBe(true);
    expect(isAppUrl('file:///opt/jinxiu/resources/app.asar/out/renderer/other.html', APP_URL)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', APP_URL)).toBe(false);
    const unicode = 'file:///home/%E9%94%A6%E7%BB%A3/out/renderer/index.html';
    expect(isAppUrl('file:///home/锦绣/out/renderer/index.html', unicode)).toBe(true);
    expect(isAppUrl('file:///home/%E9%94%A6/out/renderer/index.html', unicode)).toBe(false);
    expect(isAppUrl('file://remote-host/opt/jinxiu/resources/app.asar/out/renderer/index.html', APP_URL)).toBe(false);
  });

  it('matches the same origin for a dev server, not a prefix', () => {
    const dev = 'http://localhost:5173';
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/features/motifs/index.tsx', dev)).toBe(true);
    expect(isAppUrl('http://localhost:51730/', dev)).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('http://user@localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppUrl('garbage', dev)).toBe(false);
  });
});
