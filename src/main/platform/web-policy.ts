/*
 * The app's web security policy as plain data and functions: no electron import, so it is unit-tested
 * under Node and shared by the session and window hardening in this folder.
 */

/** The production policy: only the app's own scripts, no plugins, no framing, images from the library. */
const STRICT_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:', 'blob:', 'jinxiu:'],
  'style-src': ["'self'", "'unsafe-inline'"],
  'connect-src': ["'self'"],
};

/**
 * The Content-Security-Policy header value. With a dev server (electron-vite dev), Vite's React
 * refresh preamble is an inline script and its hot reload talks over a WebSocket to the dev server,
 * so exactly those two are allowed then; a built app gets the strict policy.
 */
export function contentSecurityPolicy(devServerUrl?: string | null): string {
  const policy = structuredClone(STRICT_POLICY);
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    const ws = `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`;
    policy['script-src']!.push("'unsafe-inline'");
    policy['connect-src']!.push(dev.origin, ws);
  }
  return Object.entries(policy)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/** Links the app may hand to the system browser: http and https only (never file:, javascript:, smb:, ...). */
export function isExternalLinkUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}
