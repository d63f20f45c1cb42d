/**
 * Files dropped on the window: their paths (which the sandboxed page cannot see) are read here
 * with `webUtils.getPathForFile` and sent to main, which answers with a `menu.command` event
 * (`file.open`). Dropping never navigates the window to the file.
 */
import { ipcRenderer, webUtils } from 'electron';
import { DROP_CHANNEL } from '../main/ipc/channels.js';

/** The part of a DOM DragEvent used here (the preload is type-checked without the DOM lib). */
interface DragEventLike {
  preventDefault(): void;
  readonly dataTransfer: {
    readonly types: readonly string[];
    readonly files: ArrayLike<File>;
  } | null;
}

/** The part of `window` used here. */
interface DropTarget {
  addEventListener(type: string, listener: (e: DragEventLike) => void, capture: boolean): void;
}

/** Installs the window-level dragover/drop handlers (capture phase; page handlers still run). */
export function forwardDroppedFiles(target = globalThis as unknown as DropTarget): void {
  target.addEventListener(
    'dragover',
    (e) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    },
    true,
  );
  target.addEventListener(
    'drop',
    (e) => {
      const files = e.dataTransfer?.files;
      if (!files || files.length === 0) return;
      e.preventDefault();
      const paths: string[] = [];
      for (const file of Array.from(files)) {
        const p = webUtils.getPathForFile(file);
        if (p) paths.push(p);
      }
      if (paths.length > 0) ipcRenderer.send(DROP_CHANNEL, paths);
    },
    true,
  );
}
