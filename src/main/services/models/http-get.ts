import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { AppError } from '../../../shared/contract';

export interface HttpOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A server that sends nothing for this long is given up on. */
  idleTimeoutMs?: number;
  maxRedirects?: number;
  /** Sees every answer, redirects included: Hugging Face states an LFS file's sha256 and commit on the redirect, not on the CDN's answer. */
  onResponse?(url: string, res: IncomingMessage): void;
}

export interface HttpResponse {
  status: number;
  /** The URL that finally answered, after redirects. */
  url: string;
  body: IncomingMessage;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A GET over node:http(s) that follows a few redirects and refuses every scheme but http and https. */
export async function httpGet(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  const maxRedirects = options.maxRedirects ?? 5;
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await requestOnce(current, options);
    options.onResponse?.(current, res);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return { status: res.statusCode ?? 0, url: current, body: res };
    res.resume();
    if (hop >= maxRedirects) throw new AppError('MODEL_MISSING', `${url} redirects more than ${maxRedirects} times.`);
    current = new URL(location, current).toString();
  }
}

function requestOnce(url: string, options: HttpOptions): Promise<IncomingMessage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('INVALID_INPUT', `"${url}" is not a URL.`);
  }
  const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : null;
  if (!client) throw new AppError('INVALID_INPUT', `Only http and https downloads are allowed, not ${parsed.protocol} (${url}).`);
  const idleMs = options.idleTimeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | null = null;
    const req = client.get(parsed, { headers: options.headers, signal: options.signal }, (res) => {
      response = res;
      resolve(res);
    });
    // The socket's idle timer covers the body too; the error goes to whoever is reading by then.
    req.setTimeout(idleMs, () => {
      const stalled = new Error(`${parsed.host} sent nothing for ${idleMs / 1000} s`);
      if (response) response.destroy(stalled);
      req.destroy(stalled);
    });
    req.on('error', reject);
  });
}
