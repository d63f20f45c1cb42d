/**
 * Whether an IPC message comes from the app's own page in one of the app's windows
 * (Electron-free: the glue passes in what Electron reports about the sender).
 */
import { isAppPage, type AppOrigin } from '../app/app-origin.js';

/** What Electron tells about an IPC sender. */
export interface SenderFacts {
  /** `event.sender.id`: the webContents that sent the message. */
  readonly webContentsId: number;
  /** `event.senderFrame?.url`; null when the frame is gone (navigated away or destroyed). */
  readonly frameUrl: string | null;
  /** True when the sending frame is the top frame of its page (`senderFrame.parent === null`). */
  readonly isMainFrame: boolean;
}

/** Outcome of {@link checkSender}: accepted, or the reason (for the log). */
export type SenderVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Accepts a message only from the top frame of one of our windows showing the app's page.
 * @param windows - the ids of the webContents of the app's windows
 */
export function checkSender(
  facts: SenderFacts,
  windows: ReadonlySet<number>,
  origin: AppOrigin,
): SenderVerdict {
  if (!windows.has(facts.webContentsId)) {
    return { ok: false, reason: `webContents ${facts.webContentsId} is not an app window` };
  }
  if (facts.frameUrl === null) return { ok: false, reason: 'the sending frame is gone' };
  if (!facts.isMainFrame) return { ok: false, reason: `sub-frame ${facts.frameUrl}` };
  if (!isAppPage(facts.frameUrl, origin)) {
    return { ok: false, reason: `page ${facts.frameUrl} is not the app's page` };
  }
  return { ok: true };
}
