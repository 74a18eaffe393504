import type { Session } from 'electron';
import { contentSecurityPolicy } from './web-policy';

/**
 * Session-wide hardening: the Content-Security-Policy on every response, and no permission
 * (camera, notifications, geolocation, ...) ever granted. The studio needs none of them; a request
 * for one means something that is not the studio is asking.
 */
export function hardenSession(session: Session, options: { devServerUrl?: string | null }): void {
  const policy = contentSecurityPolicy(options.devServerUrl);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    // Replace any policy the response brought (header names are case-insensitive).
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
