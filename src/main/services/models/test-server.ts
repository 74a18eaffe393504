// Test helper (not shipped): a real HTTP server on 127.0.0.1 that serves packs and misbehaves on request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sha256, type TestPack } from './test-packs';

/**
 * How the server treats the pack's data files (the manifest is always served plainly):
 * - normal: honours Range and If-Range with a strong ETag
 * - drop-once: the first request for each file sends half the body, then drops the connection
 * - drop-then-ignore-range: drops halfway once, then answers every Range request with a 200 full body
 * - wrong-bytes: serves bytes of the right length that do not match the manifest hash
 * - 404 / 500: serves the first listed file, then answers with that status
 * - slow: sends a quarter of each body, then holds the connection until release() is called
 */
export type Behaviour = 'normal' | 'drop-once' | 'drop-then-ignore-range' | 'wrong-bytes' | '404' | '500' | 'slow';

export interface SeenRequest {
  path: string;
  range: string | undefined;
  ifRange: string | undefined;
}

export class PackServer {
  readonly requests: SeenRequest[] = [];
  private readonly packs = new Map<string, TestPack>();
  private readonly dropped = new Set<string>();
  private released = false;
  private waiting: (() => void)[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  add(pack: TestPack): void {
    this.packs.set(pack.manifest.id, pack);
  }

  manifestUrl(behaviour: Behaviour, id: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${behaviour}/${id}/manifest.json`;
  }

  /** Lets the slow server finish every held and later response. */
  release(): void {
    this.released = true;
    for (const go of this.waiting) go();
    this.waiting = [];
  }

  requestsFor(file: string): SeenRequest[] {
    return this.requests.filter((r) => r.path.endsWith(`/${file}`));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    this.requests.push({ path: url, range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined });
    const [, behaviour, id, ...rest] = decodeURIComponent(url).split('/') as [string, Behaviour, string, ...string[]];
    const file = rest.join('/');
    const pack = this.packs.get(id);
    if (!pack) return void res.writeHead(404).end();
    if (file === 'manifest.json') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(pack.manifestBytes);
    let body = pack.contents.get(file);
    if (!body) return void res.writeHead(404).end();

    if (behaviour === '404' || behaviour === '500') {
      if (file !== pack.manifest.files[0]!.path) return void res.writeHead(Number(behaviour)).end('no');
    }
    if (behaviour === 'wrong-bytes') body = Buffer.alloc(body.length, 0x5a);
    if ((behaviour === 'drop-once' || behaviour === 'drop-then-ignore-range') && !this.dropped.has(url)) {
      this.dropped.add(url);
      res.writeHead(200, { 'Content-Length': body.length, ETag: etag(body) });
      res.write(body.subarray(0, body.length / 2), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    const honoursRange = behaviour !== 'drop-then-ignore-range';
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const start = honoursRange && range && (!ifRange || ifRange === etag(body)) ? Number(range[1]) : 0;
    const headers = { ETag: etag(body), 'Content-Length': body.length - start, 'Accept-Ranges': 'bytes' };
    if (start > 0) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else res.writeHead(200, headers);
    const rest2 = body.subarray(start);
    if (behaviour !== 'slow' || this.released) return void res.end(rest2);
    const quarter = Math.ceil(rest2.length / 4);
    res.write(rest2.subarray(0, quarter));
    this.waiting.push(() => res.end(rest2.subarray(quarter)));
  }
}

const etag = (body: Buffer) => `"${sha256(body).slice(0, 16)}"`;

/**
 * Serves public files as Hugging Face does: `/<repo>/resolve/<revision>/<name>` answers 302 to the CDN
 * with the LFS object's sha256 (X-Linked-Etag, quoted), size and commit; `/cdn/<name>` serves the
 * bytes with Range. `statedSha256` overrides the stated hash (a lying or changed server), null states none.
 */
export class SourceServer {
  readonly requests: SeenRequest[] = [];
  /** `holdAfter`: the CDN sends the body up to that byte, then holds the connection until release(). */
  readonly files = new Map<string, { body: Buffer; statedSha256?: string | null; holdAfter?: number }>();
  private held: (() => void)[] = [];
  readonly commit = 'c0ffee'.padEnd(40, '0');
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Lets every held response finish; later requests for a file with holdAfter are held again. */
  release(): void {
    for (const go of this.held) go();
    this.held = [];
  }

  url(name: string, revision = 'main'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/org/repo/resolve/${revision}/${name}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    this.requests.push({ path: url, range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined });
    const resolve = /^\/org\/repo\/resolve\/([^/]+)\/(.+)$/.exec(url);
    if (resolve) {
      const file = this.files.get(resolve[2]!);
      if (!file || (resolve[1] !== 'main' && resolve[1] !== this.commit)) return void res.writeHead(404).end();
      const stated = file.statedSha256 === undefined ? sha256(file.body) : file.statedSha256;
      const headers: Record<string, string | number> = { Location: `/cdn/${resolve[2]}`, 'X-Repo-Commit': this.commit, 'X-Linked-Size': file.body.length };
      if (stated !== null) headers['X-Linked-Etag'] = `"${stated}"`;
      return void res.writeHead(302, headers).end();
    }
    const file = url.startsWith('/cdn/') ? this.files.get(url.slice(5)) : undefined;
    if (!file) return void res.writeHead(404).end();
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Number(range[2]) : file.body.length - 1;
    const headers = { ETag: etag(file.body), 'Content-Length': end - start + 1, 'Accept-Ranges': 'bytes' };
    if (range) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${file.body.length}` });
    else res.writeHead(200, headers);
    const hold = file.holdAfter;
    if (hold === undefined || start >= hold) return void res.end(file.body.subarray(start, end + 1));
    res.write(file.body.subarray(start, hold));
    this.held.push(() => res.end(file.body.subarray(hold, end + 1)));
  }
}
