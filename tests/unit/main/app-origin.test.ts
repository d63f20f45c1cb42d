import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  appOrigin,
  contentSecurityPolicy,
  isAllowedResource,
  isAppPage,
} from '../../../src/main/app/app-origin.js';
import { checkSender } from '../../../src/main/ipc/sender-check.js';

const root = path.resolve('/opt/Bracketeer/resources/app/out/renderer');
const index = path.join(root, 'index.html');
const fileOrigin = appOrigin(undefined, index);
const devOrigin = appOrigin('http://localhost:5173/', index);
const pageUrl = pathToFileURL(index).href;

describe('app origin', () => {
  it('recognises the app page (query and hash ignored) and nothing else', () => {
    expect(isAppPage(pageUrl, fileOrigin)).toBe(true);
    expect(isAppPage(`${pageUrl}?view=editor#x`, fileOrigin)).toBe(true);
    expect(isAppPage(pathToFileURL(path.join(root, 'other.html')).href, fileOrigin)).toBe(false);
    expect(isAppPage('file:///etc/passwd', fileOrigin)).toBe(false);
    expect(isAppPage('https://example.com/', fileOrigin)).toBe(false);
    expect(isAppPage('not a url', fileOrigin)).toBe(false);
    expect(isAppPage('http://localhost:5173/index.html', devOrigin)).toBe(true);
    expect(isAppPage('http://localhost:5174/', devOrigin)).toBe(false);
    expect(isAppPage('https://localhost:5173/', devOrigin)).toBe(false);
  });

  it('allows only the renderer folder, the dev server and in-memory URLs as resources', () => {
    expect(
      isAllowedResource(pathToFileURL(path.join(root, 'assets/index.js')).href, fileOrigin),
    ).toBe(true);
    expect(
      isAllowedResource(pathToFileURL(path.join(root, '../main/index.js')).href, fileOrigin),
    ).toBe(false);
    expect(isAllowedResource('file:///home/user/photo.jpg', fileOrigin)).toBe(false);
    expect(isAllowedResource('https://example.com/x.js', fileOrigin)).toBe(false);
    expect(isAllowedResource('http://127.0.0.1:5173/x.js', fileOrigin)).toBe(false);
    expect(isAllowedResource('data:image/png;base64,AAAA', fileOrigin)).toBe(true);
    expect(isAllowedResource('blob:file:///1234', fileOrigin)).toBe(true);
    expect(isAllowedResource('ws://localhost:5173/', devOrigin)).toBe(true);
    expect(isAllowedResource('http://localhost:5173/src/main.ts', devOrigin)).toBe(true);
    expect(isAllowedResource('https://fonts.example.com/a.woff', devOrigin)).toBe(false);
  });

  it('refuses a dev server that is not local http', () => {
    expect(() => appOrigin('https://evil.example.com', index)).toThrow(/not a local http/);
  });

  it('builds a CSP without remote sources or inline scripts', () => {
    const csp = contentSecurityPolicy(fileOrigin);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/https?:|unsafe-inline|unsafe-eval|\*/);
    expect(contentSecurityPolicy(devOrigin)).toContain("connect-src 'self' ws://localhost:5173");
  });
});

describe('IPC sender check', () => {
  const windows = new Set([7]);
  it('accepts the top frame of an app window showing the app page', () => {
    expect(
      checkSender({ webContentsId: 7, frameUrl: pageUrl, isMainFrame: true }, windows, fileOrigin),
    ).toEqual({ ok: true });
  });

  it('refuses other webContents, sub-frames, gone frames and foreign pages, naming why', () => {
    const cases = [
      [{ webContentsId: 8, frameUrl: pageUrl, isMainFrame: true }, /not an app window/],
      [{ webContentsId: 7, frameUrl: pageUrl, isMainFrame: false }, /sub-frame/],
      [{ webContentsId: 7, frameUrl: null, isMainFrame: true }, /gone/],
      [
        { webContentsId: 7, frameUrl: 'https://example.com/', isMainFrame: true },
        /not the app's page/,
      ],
    ] as const;
    for (const [facts, reason] of cases) {
      const v = checkSender(facts, windows, fileOrigin);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.reason).toMatch(reason);
    }
  });
});
