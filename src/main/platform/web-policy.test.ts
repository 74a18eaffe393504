import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isExternalLinkUrl } from './web-policy';

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split('; ').map((d) => { const [name, ...sources] = d.split(' '); return [name!, sources]; }));
}

describe('contentSecurityPolicy', () => {
  it('is the strict policy for a built app', () => {
    const policy = directives(contentSecurityPolicy());
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'jinxiu:']);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy(null)).toBe(contentSecurityPolicy());
  });

  it('lets a dev server run its inline preamble and hot-reload socket, and nothing more', () => {
    const policy = directives(contentSecurityPolicy('http://localhost:5173/'));
    expect(policy.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    // The strict policy is not changed by having built a dev one.
    expect(directives(contentSecurityPolicy()).get('script-src')).toEqual(["'self'"]);
  });
});

describe('isExternalLinkUrl', () => {
  it('accepts http and https links only', () => {
    expect(isExternalLinkUrl('https://en.wikipedia.org/wiki/Dunhuang')).toBe(true);
    expect(isExternalLinkUrl('http://example.com/')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'jinxiu://library/a.png', 'ms-msdt:/id', 'data:text/html,x', 'not a url', '']) {
      expect(isExternalLinkUrl(url), url).toBe(false);
    }
  });
});
