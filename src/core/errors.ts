/** Errors the engine raises on purpose, each naming the file (when there is one) and the reason. */

/** Base class: `message` is one clear line suitable for a CLI or a dialog. */
export class BracketeerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BracketeerError';
  }
}

/** A file could not be read or decoded: corrupt, truncated, unsupported, or too large. */
export class ImageReadError extends BracketeerError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ImageReadError';
  }
}

/** A file could not be written (unwritable path, unsupported format for the data). */
export class ImageWriteError extends BracketeerError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ImageWriteError';
  }
}

/** Input that is well-formed but cannot be processed (mismatched sizes, missing exposure data…). */
export class InvalidInputError extends BracketeerError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** A job was cancelled through its AbortSignal. */
export class CancelledError extends BracketeerError {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}
