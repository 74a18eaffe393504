import { describe, expect, it } from 'vitest';
import { libraryFileUrl } from './library-url';

const sha = 'ab'.padEnd(64, '0');
const page = (hash: string, preload: boolean) => ({ location: { hash }, ...(preload ? { jinxiu: {} } : {}) }) as unknown as Window;

describe('libraryFileUrl', () => {
  it('uses jinxiu:// in the Electron app and the harness route, with its token, in a browser', () => {
    expect(libraryFileUrl(sha, page('', true))).toBe(`jinxiu://library/ab/${sha}`);
    expect(libraryFileUrl(sha, page('#token=t0k', true))).toBe(`jinxiu://library/ab/${sha}`);
    expect(libraryFileUrl(sha, page('#token=t0k%2B', false))).toBe(`/library-files/${sha}?token=t0k%2B`);
  });
});
