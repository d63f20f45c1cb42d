/** Image I/O: the only place in the core that touches sharp or three. */
export { readImage, readLdrCodes, type ReadImageOptions } from './read-image.js';
export {
  writeImage,
  formatFromPath,
  type ImageFormat,
  type WriteImageOptions,
} from './write-image.js';
export {
  DEFAULT_MAX_PIXELS,
  checkPixelLimit,
  resolveMaxPixels,
  type ReadLimits,
} from './limits.js';
export { decodeRadiance, isRadiance, readRadianceSize } from './radiance-hdr.js';
export { encodeRadiance } from './radiance-hdr-write.js';
export { decodeOpenExr, readOpenExrSize } from './openexr-read.js';
export { isOpenExr } from './openexr-header.js';
export { encodeOpenExr, type ExrWriteOptions } from './openexr-write.js';
export { encodeFloatTiff, type FloatTiffOptions } from './tiff-float-write.js';
export { decodeCodesWithSharp, decodeWithSharp } from './read-ldr.js';
export {
  encodeLdr,
  encodePixels,
  quantise,
  type LdrFormat,
  type LdrWriteOptions,
  type PixelLayout,
} from './write-ldr.js';
export { writeFileAtomic } from './atomic-write.js';
export { floatsToHalf, halfToFloat, HALF_MAX } from './half-float.js';
