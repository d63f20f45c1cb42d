// Minimal typings for the parts of three.js used by the OpenEXR reader (three ships no types).
declare module 'three' {
  export const FloatType: number;
  export const HalfFloatType: number;
}

declare module 'three/examples/jsm/loaders/EXRLoader.js' {
  export interface ExrParseResult {
    width: number;
    height: number;
    /** RGBA (or fewer channels), bottom row first. */
    data: Float32Array | Uint16Array;
    header: Record<string, unknown>;
  }
  export class EXRLoader {
    constructor();
    setDataType(type: number): this;
    parse(buffer: ArrayBuffer): ExrParseResult;
  }
}
