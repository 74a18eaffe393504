import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../shared/contract';
import { isInside, resolveLibraryUrl, serveLibraryRequest } from './library-protocol';

// A real folder layout with real files and real symlinks:
//   <tmp>/library/renders/a.png          a file the library may serve
//   <tmp>/library/nested/deep/b.txt
//   <tmp>/library/link-inside.png  ->  renders/a.png           (a link that stays inside: allowed)
//   <tmp>/library/link-outside.txt ->  <tmp>/secret.txt        (a link that leaves: refused)
//   <tmp>/library/dir-outside      ->  <tmp>/outside-dir       (a linked folder that leaves: refused)
//   <tmp>/library-evil/x.txt                                    (a sibling whose name shares the prefix)
//   <tmp>/secret.txt
let tmp: string;
let lib: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-libproto-'));
  lib = path.join(tmp, 'library');
  fs.mkdirSync(path.join(lib, 'renders'), { recursive: true });
  fs.mkdirSync(path.join(lib, 'nested', 'deep'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'outside-dir'));
  fs.mkdirSync(path.join(tmp, 'library-evil'));
  fs.writeFileSync(path.join(lib, 'renders', 'a.png'), 'png bytes');
  fs.writeFileSync(path.join(lib, 'nested', 'deep', 'b.txt'), 'deep');
  fs.writeFileSync(path.join(lib, 'with space 锦.txt'), 'unicode');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  fs.writeFileSync(path.join(tmp, 'outside-dir', 'c.txt'), 'outside');
  fs.writeFileSync(path.join(tmp, 'library-evil', 'x.txt'), 'evil');
  fs.symlinkSync(path.join(lib, 'renders', 'a.png'), path.join(lib, 'link-inside.png'));
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(lib, 'link-outside.txt'));
  fs.symlinkSync(path.join(tmp, 'outside-dir'), path.join(lib, 'dir-outside'), 'dir');
  // A relative link that climbs out of the folder.
  fs.symlinkSync(path.join('..', 'secret.txt'), path.join(lib, 'relative-outside.txt'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

const real = (...parts: string[]) => fs.realpathSync.native(path.join(lib, ...parts));

describe('resolveLibraryUrl', () => {
  it('serves files inside the library, including percent-encoded names and links that stay inside', () => {
    expect(resolveLibraryUrl(lib, 'jinxiu://library/renders/a.png')).toBe(real('renders', 'a.png'));
    expect(resolveLibraryUrl(lib, 'jinxiu://library/nested/deep/b.txt')).toBe(real('nested', 'deep', 'b.txt'));
    expect(resolveLibraryUrl(lib, `jinxiu://library/${encodeURIComponent('with space 锦.txt')}`)).toBe(real('with space 锦.txt'));
    expect(resolveLibraryUrl(lib, 'jinxiu://library/link-inside.png')).toBe(real('renders', 'a.png'));
    expect(resolveLibraryUrl(lib, 'jinxiu://library/renders/a.png?v=2#frag')).toBe(real('renders', 'a.png'));
  });

  it('refuses literal dot segments', () => {
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/../secret.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/renders/../../secret.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/./renders/a.png'))).toBe('PATH_OUTSIDE_LIBRARY');
  });

  it('refuses percent-encoded dots and separators, in either case', () => {
    for (const url of [
      'jinxiu://library/%2e%2e/secret.txt',
      'jinxiu://library/%2E%2E/secret.txt',
      'jinxiu://library/.%2e/secret.txt',
      'jinxiu://library/%2e%2e%2fsecret.txt',
      'jinxiu://library/..%2Fsecret.txt',
      'jinxiu://library/renders%2F..%2F..%2Fsecret.txt',
      'jinxiu://library/..%5Csecret.txt',
      'jinxiu://library/%2e%2e%5c%2e%2e%5csecret.txt',
      'jinxiu://library/%2Ftmp%2Fsecret.txt',
    ]) {
      expect(codeOf(() => resolveLibraryUrl(lib, url)), url).toBe('PATH_OUTSIDE_LIBRARY');
    }
  });

  it('refuses raw backslashes', () => {
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/..\\secret.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/renders\\a.png'))).toBe('PATH_OUTSIDE_LIBRARY');
  });

  it('keeps absolute paths inside the library instead of jumping to them', () => {
    // `//tmp/...` is an empty segment plus a relative path; it must land under the library (where
    // nothing exists), never on the real absolute file.
    const secret = path.join(tmp, 'secret.txt');
    expect(codeOf(() => resolveLibraryUrl(lib, `jinxiu://library/${secret}`))).toBe('NOT_FOUND');
    expect(codeOf(() => resolveLibraryUrl(lib, `jinxiu://library/${encodeURIComponent(secret)}`))).toBe('PATH_OUTSIDE_LIBRARY');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/C:/Windows/win.ini'))).toBe('PATH_OUTSIDE_LIBRARY');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/c%3A%5Cwin.ini'))).toBe('PATH_OUTSIDE_LIBRARY');
  });

  it('refuses NUL bytes, raw and encoded', () => {
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/renders/a.png\0.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/renders/a.png%00.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
  });

  it('refuses symlinks that point outside, absolute, relative and through a linked folder', () => {
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/link-outside.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/relative-outside.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/dir-outside/c.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
  });

  it('works when the library folder itself is reached through a symlink', () => {
    const alias = path.join(tmp, 'library-alias');
    fs.symlinkSync(lib, alias, 'dir');
    expect(resolveLibraryUrl(alias, 'jinxiu://library/renders/a.png')).toBe(real('renders', 'a.png'));
    expect(codeOf(() => resolveLibraryUrl(alias, 'jinxiu://library/link-outside.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
  });

  it('answers NOT_FOUND for missing files, folders, other hosts and schemes', () => {
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/renders/missing.png'))).toBe('NOT_FOUND');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/renders'))).toBe('NOT_FOUND');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/'))).toBe('NOT_FOUND');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://elsewhere/renders/a.png'))).toBe('NOT_FOUND');
    expect(codeOf(() => resolveLibraryUrl(lib, 'file:///etc/passwd'))).toBe('NOT_FOUND');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://user:pw@library/renders/a.png'))).toBe('NOT_FOUND');
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/%E0%A4%A'))).toBe('NOT_FOUND');
    expect(codeOf(() => resolveLibraryUrl(lib, 'not a url'))).toBe('NOT_FOUND');
    expect(codeOf(() => resolveLibraryUrl(path.join(tmp, 'no-such-library'), 'jinxiu://library/a.png'))).toBe('NOT_FOUND');
  });

  it('never confuses a sibling folder that shares the name prefix with the library', () => {
    expect(isInside(lib, path.join(tmp, 'library-evil', 'x.txt'))).toBe(false);
    expect(isInside(lib, path.join(lib, 'x.txt'))).toBe(true);
    expect(isInside(lib, lib)).toBe(false);
    expect(isInside(lib, path.join(lib, '..', 'secret.txt'))).toBe(false);
    // A file whose name merely starts with two dots is inside.
    expect(isInside(lib, path.join(lib, '..hidden'))).toBe(true);
    const sibling = path.join(lib, 'to-sibling.txt');
    fs.symlinkSync(path.join(tmp, 'library-evil', 'x.txt'), sibling);
    expect(codeOf(() => resolveLibraryUrl(lib, 'jinxiu://library/to-sibling.txt'))).toBe('PATH_OUTSIDE_LIBRARY');
  });
});

describe('serveLibraryRequest', () => {
  it('serves a library file with its type and headers that keep it inert', async () => {
    const res = await serveLibraryRequest(lib, new Request('jinxiu://library/renders/a.png'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('png bytes');
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const head = await serveLibraryRequest(lib, new Request('jinxiu://library/renders/a.png', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('png bytes'.length));
  });

  it('answers 403 for escapes, 404 for missing files and 405 for writes, without the file', async () => {
    const escape = await serveLibraryRequest(lib, new Request('jinxiu://library/link-outside.txt'));
    expect(escape.status).toBe(403);
    expect(await escape.text()).not.toContain('secret');
    expect((await serveLibraryRequest(lib, new Request('jinxiu://library/..%2Fsecret.txt'))).status).toBe(403);
    expect((await serveLibraryRequest(lib, new Request('jinxiu://library/missing.png'))).status).toBe(404);
    const put = await serveLibraryRequest(lib, new Request('jinxiu://library/renders/a.png', { method: 'PUT', body: 'x' }));
    expect(put.status).toBe(405);
    expect(fs.readFileSync(path.join(lib, 'renders', 'a.png'), 'utf8')).toBe('png bytes');
  });
});
