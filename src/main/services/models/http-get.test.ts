import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from './http-get';

let server: http.Server;
let base: string;

beforeAll(async () => {
  // /hop/N redirects to /hop/N-1 until /hop/0 answers; /ftp redirects off http; /loop redirects to itself.
  server = http.createServer((req, res) => {
    const hop = /^\/hop\/(\d+)$/.exec(req.url ?? '');
    if (hop && hop[1] !== '0') return void res.writeHead(302, { Location: `/hop/${Number(hop[1]) - 1}` }).end();
    if (hop) return void res.writeHead(200).end('arrived');
    if (req.url === '/ftp') return void res.writeHead(301, { Location: 'ftp://127.0.0.1/pack.zip' }).end();
    if (req.url === '/loop') return void res.writeHead(307, { Location: '/loop' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function text(url: string): Promise<string> {
  const res = await httpGet(url, { maxRedirects: 3 });
  let body = '';
  for await (const chunk of res.body) body += String(chunk);
  return `${res.status} ${body} ${new URL(res.url).pathname}`;
}

describe('httpGet', () => {
  it('follows a few redirects', async () => {
    expect(await text(`${base}/hop/3`)).toBe('200 arrived /hop/0');
  });

  it('gives up after maxRedirects', async () => {
    await expect(text(`${base}/hop/4`)).rejects.toThrow(/redirects more than 3 times/);
    await expect(text(`${base}/loop`)).rejects.toThrow(/redirects more than 3 times/);
  });

  it('refuses every scheme but http and https, also after a redirect', async () => {
    await expect(text('file:///etc/passwd')).rejects.toThrow('Only http and https downloads are allowed, not file:');
    await expect(text(`${base}/ftp`)).rejects.toThrow('Only http and https downloads are allowed, not ftp:');
  });
});
