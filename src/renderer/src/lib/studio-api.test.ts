import { describe, expect, it } from 'vitest';
import type { StudioApi } from '../../../shared/client';
import { AppError } from '../../../shared/contract';
import { resolveStudioApi } from './studio-api';

// Electron's contextBridge cannot run under Node: this stands in for what it hands the page, a
// client whose rejections are plain `{ name, code, message }` objects (see src/preload/index.ts).
function preloadLike(rejection: unknown): StudioApi {
  const reject = () => Promise.reject(rejection);
  return {
    client: { projects: { get: reject, list: () => Promise.resolve([]) } },
    on: () => () => undefined,
  } as unknown as StudioApi;
}

const fakeWindow = (extra: object, hash = '', host = '127.0.0.1:5555') => ({ ...extra, location: { hash, host } }) as unknown as Window;

describe('resolveStudioApi', () => {
  it('uses the preload client when window.jinxiu exists, turning its plain errors back into AppError', async () => {
    const source = resolveStudioApi(fakeWindow({ jinxiu: preloadLike({ name: 'AppError', code: 'NOT_FOUND', message: 'No project with id x.' }) }, '#token=t'));
    expect(source.kind === 'ready' && source.via).toBe('electron');
    if (source.kind !== 'ready') return;
    await expect(source.api.client.projects.list({})).resolves.toEqual([]);
    const err = await source.api.client.projects.get({ id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'No project with id x.' });
  });

  it('reports an unexpected rejection as INTERNAL with its message', async () => {
    const source = resolveStudioApi(fakeWindow({ jinxiu: preloadLike(new Error('IPC gone')) }));
    if (source.kind !== 'ready') throw new Error('expected the preload client');
    await expect(source.api.client.projects.get({ id: 'x' })).rejects.toMatchObject({ code: 'INTERNAL', message: 'IPC gone' });
  });

  it('falls back to the bridge with the token from the fragment, or reports that there is none', () => {
    const bridged = resolveStudioApi(fakeWindow({}, '#token=abc'));
    expect(bridged.kind === 'ready' && bridged.via).toBe('bridge');
    expect(resolveStudioApi(fakeWindow({}, '')).kind).toBe('missing');
  });
});
