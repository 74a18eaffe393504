/**
 * The harness puts the bridge token in the URL's fragment (#token=...), which the browser never sends
 * to a server, so it stays out of request logs.
 */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token && token.length > 0 ? token : null;
}
