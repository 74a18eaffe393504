import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createStudioApi, type Transport } from '../shared/client';
import { AppError, EnvelopeSchema, type AppErrorData, type Envelope } from '../shared/contract';
import type { JinxiuWindowApi } from '../shared/jinxiu-window';
import { IPC_EVENT, IPC_INVOKE } from '../shared/ipc-protocol';

// Sandboxed preload (CommonJS bundle, see electron.vite.config.ts): it may only require 'electron'.
// It exposes the typed client and `on`, never ipcRenderer itself nor IPC event objects, which
// would hand the page a way to send arbitrary messages.

const transport: Transport = {
  async invoke(channel, payload) {
    try {
      const answer: unknown = await ipcRenderer.invoke(IPC_INVOKE, channel, payload);
      const checked = EnvelopeSchema.safeParse(answer);
      if (checked.success) return checked.data as Envelope;
      return failed('INTERNAL', `The answer of ${channel} was not an envelope.`);
    } catch (err) {
      // Structured clone refuses functions, symbols and the like before anything reaches main.
      return failed('BAD_REQUEST', `The request for ${channel} could not be sent: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.off(IPC_EVENT, forward);
    };
  },
};

function failed(code: AppErrorData['code'], message: string): Envelope {
  return { ok: false, error: { code, message } };
}

/** contextBridge keeps only an Error's message; a plain object keeps the code and details. */
function toPlain(err: unknown): AppErrorData & { name: 'AppError' } {
  if (err instanceof AppError) return { name: 'AppError', ...err.toData() };
  return { name: 'AppError', code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

const api = createStudioApi(transport);

// Plain nested objects of functions: contextBridge copies objects and proxies functions, and a
// class instance or prototype chain would not survive the copy.
const client: Record<string, Record<string, (request: unknown) => Promise<unknown>>> = {};
for (const [ns, methods] of Object.entries(api.client as unknown as Record<string, Record<string, (request: unknown) => Promise<unknown>>>)) {
  const space: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const [method, call] of Object.entries(methods)) {
    space[method] = (request: unknown) => call(request).catch((err: unknown) => Promise.reject(toPlain(err)));
  }
  client[ns] = space;
}

const exposed: JinxiuWindowApi = {
  client: client as unknown as JinxiuWindowApi['client'],
  on: (event, listener) => {
    if (typeof event !== 'string' || typeof listener !== 'function') throw new TypeError('on(event, listener) needs an event name and a function.');
    return api.on(event, listener);
  },
};

contextBridge.exposeInMainWorld('jinxiu', exposed);
