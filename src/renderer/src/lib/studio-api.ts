import { createStudioApi, type StudioApi } from '../../../shared/client';
import type { StudioClient } from '../../../shared/contract';
import { toAppError } from './errors';
import { tokenFromHash } from './token';
import { bridgeUrl, createWsTransport } from './ws-transport';

/** `window.jinxiu` as the Electron preload sets it; absent in a plain browser. */
type WithPreload = { jinxiu?: StudioApi };

export type ApiSource = { kind: 'ready'; api: StudioApi; via: 'electron' | 'bridge' } | { kind: 'missing' };

type Methods = Record<string, Record<string, (request: unknown) => Promise<unknown>>>;

/** Wraps each preload method so its rejections arrive as AppError instances again. */
export function withAppErrors(api: StudioApi): StudioApi {
  const wrapped: Methods = {};
  for (const [ns, methods] of Object.entries(api.client as unknown as Methods)) {
    const space: Methods[string] = {};
    for (const [method, call] of Object.entries(methods)) {
      space[method] = (request) =>
        call(request).catch((err: unknown) => {
          throw toAppError(err);
        });
    }
    wrapped[ns] = space;
  }
  return { client: wrapped as unknown as StudioClient, on: (event, listener) => api.on(event, listener) };
}

/** Electron's preload client when present, else the loopback bridge with the token from the URL. */
export function resolveStudioApi(win: Window): ApiSource {
  const preload = (win as unknown as WithPreload).jinxiu;
  if (preload) return { kind: 'ready', api: withAppErrors(preload), via: 'electron' };
  const token = tokenFromHash(win.location.hash);
  if (!token) return { kind: 'missing' };
  const transport = createWsTransport(bridgeUrl(win.location.host, token));
  return { kind: 'ready', api: createStudioApi(transport), via: 'bridge' };
}
