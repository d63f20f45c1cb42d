/** Test helper: whether the exiftool command is installed (EXIF cross-checks skip without it). */
import { execFileSync } from 'node:child_process';

function probe(): boolean {
  try {
    execFileSync('exiftool', ['-ver'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when `exiftool -ver` runs. */
export const EXIFTOOL_AVAILABLE = probe();
