/**
 * Session-wide security of the app (Electron glue; the decisions live in app-origin.ts):
 * a strict Content-Security-Policy header on every response, remote content refused, every
 * permission request (camera, notifications, geolocation…) denied, no <webview>.
 */
import { app, type Session } from 'electron';
import { contentSecurityPolicy, isAllowedResource, type AppOrigin } from './app-origin.js';
import type { LogFile } from './log-file.js';

/** Applies the policy to `ses` (call once, before the first window loads). */
export function hardenSession(ses: Session, origin: AppOrigin, log: LogFile): void {
  const csp = contentSecurityPolicy(origin);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedResource(details.url, origin);
    if (!allowed) log.warn(`blocked request for remote content ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [csp],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`denied permission request "${permission}"`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
}

/** Blocks <webview> and any window or navigation the app did not open itself, in every webContents. */
export function lockDownWebContents(origin: AppOrigin, log: LogFile): void {
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log.warn('blocked a <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      log.warn(`blocked window.open(${url.slice(0, 200)})`);
      return { action: 'deny' };
    });
    const guard = (event: { preventDefault(): void }, url: string): void => {
      if (isAllowedNavigation(url, origin)) return;
      event.preventDefault();
      log.warn(`blocked navigation to ${url.slice(0, 200)}`);
    };
    contents.on('will-navigate', (event, url) => guard(event, url));
    contents.on('will-redirect', (event, url) => guard(event, url));
    contents.on('will-frame-navigate', (event) => guard(event, event.url));
  });
}

function isAllowedNavigation(url: string, origin: AppOrigin): boolean {
  // Only (re)loading the app's own page; never another page, file or site.
  if (origin.kind === 'dev') return url.startsWith(`${origin.origin}/`) || url === origin.origin;
  try {
    const u = new URL(url);
    return (
      u.protocol === 'file:' && isAllowedResource(url, origin) && u.pathname.endsWith('/index.html')
    );
  } catch {
    return false;
  }
}
