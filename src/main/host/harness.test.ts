import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { mimeType, resolveStaticPath, startHarness, type Harness } from './harness';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Raw HTTP, so paths like /../x reach the server as written (fetch would normalise them). */
function request(port: number, rawPath: string, init: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: rawPath, method: init.method ?? 'GET', headers: { host: init.host ?? `127.0.0.1:${port}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the browser harness', () => {
  let tmp: string;
  let rendererDir: string;
  let harness: Harness;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-harness-'));
    rendererDir = path.join(tmp, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.css'), 'body{}');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'logo.svg'), '<svg/>');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside the renderer');
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
    harness = await startHarness({ libraryDir: path.join(tmp, 'library'), rendererDir });
  });

  afterAll(async () => {
    await harness?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('prints a loopback address with the token in the fragment', () => {
    expect(harness.url).toBe(`http://127.0.0.1:${harness.port}/#token=${harness.token}`);
    expect(harness.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves the renderer with the right content types', async () => {
    const index = await request(harness.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>studio</title>');
    expect(index.headers['x-content-type-options']).toBe('nosniff');

    expect((await request(harness.port, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await request(harness.port, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await request(harness.port, '/assets/logo.svg')).headers['content-type']).toBe('image/svg+xml');
    expect((await request(harness.port, '/index.html?x=1')).status).toBe(200);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/link.txt',
      `/${encodeURIComponent(path.join(tmp, 'secret.txt'))}`,
      '/index.html%00.js',
      '/%E0%A4%A',
    ]) {
      const reply = await request(harness.port, p);
      expect(reply.status, p).toBe(404);
      expect(reply.body, p).not.toContain('outside the renderer');
    }
  });

  it('answers 404 for missing files and folders, 405 for writes, 421 for a foreign Host', async () => {
    expect((await request(harness.port, '/nope.js')).status).toBe(404);
    expect((await request(harness.port, '/assets')).status).toBe(404);
    const post = await request(harness.port, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    // A DNS-rebinding page reaches 127.0.0.1 under its own host name.
    expect((await request(harness.port, '/', { host: `evil.example:${harness.port}` })).status).toBe(421);
    expect((await request(harness.port, '/', { host: `localhost:${harness.port}` })).status).toBe(200);
    const head = await request(harness.port, '/assets/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String('console.log(1)'.length));
  });

  it('serves the bridge on the same port, with the token only', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/bridge?token=${harness.token}`);
    const answer = await new Promise<unknown>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ id: 7, channel: 'projects.create', payload: { name: 'Harness jacket' } })));
      ws.on('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8'))));
      ws.on('error', reject);
    });
    ws.close();
    expect(answer).toMatchObject({ id: 7, answer: { ok: true, value: { name: 'Harness jacket' } } });
    expect(harness.studio.library.projects.list().map((p) => p.name)).toEqual(['Harness jacket']);

    const refused = await new Promise<number>((resolve) => {
      const bad = new WebSocket(`ws://127.0.0.1:${harness.port}/bridge?token=wrong`);
      bad.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      bad.on('error', () => undefined);
    });
    expect(refused).toBe(401);
  });
});

describe('startHarness', () => {
  it('refuses to start without a built renderer, and says how to build one', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-harness-empty-'));
    try {
      await expect(startHarness({ libraryDir: path.join(tmp, 'library'), rendererDir: path.join(tmp, 'missing') })).rejects.toThrow(
        /index\.html is missing.*electron-vite build/,
      );
      // Nothing was opened or created for the library.
      expect(fs.existsSync(path.join(tmp, 'library'))).toBe(false);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('frees its port and closes the library on close()', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-harness-close-'));
    fs.mkdirSync(path.join(tmp, 'r'));
    fs.writeFileSync(path.join(tmp, 'r', 'index.html'), 'x');
    try {
      const h = await startHarness({ libraryDir: path.join(tmp, 'library'), rendererDir: path.join(tmp, 'r') });
      await h.close();
      await expect(request(h.port, '/')).rejects.toThrow(/ECONNREFUSED/);
      expect(h.studio.library.db.open).toBe(false);
      // The same port can be taken again at once.
      const again = await startHarness({ libraryDir: path.join(tmp, 'library'), rendererDir: path.join(tmp, 'r'), port: h.port });
      expect(again.port).toBe(h.port);
      await again.close();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('static helpers', () => {
  it('maps extensions to MIME types, unknown ones to octet-stream', () => {
    expect(mimeType('a/B.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('x.woff2')).toBe('font/woff2');
    expect(mimeType('x.unknown')).toBe('application/octet-stream');
  });

  it('resolves / to index.html and a missing file to null', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-static-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.html'), 'x');
      expect(resolveStaticPath(dir, '/')).toBe(path.join(fs.realpathSync(dir), 'index.html'));
      expect(resolveStaticPath(dir, '/missing.js')).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
