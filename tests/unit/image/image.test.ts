import { describe, expect, it } from 'vitest';
import { createHdr, createLdr } from '../../../src/core/image/image.js';

describe('image model', () => {
  it('creates zeroed images of the right size', () => {
    const img = createHdr(4, 3);
    expect(img.data.length).toBe(36);
    expect(img.kind).toBe('hdr');
    expect(createLdr(2, 2, 1).data.length).toBe(4);
  });
  it('rejects a buffer of the wrong length', () => {
    expect(() => createHdr(4, 3, 3, new Float32Array(35))).toThrow(/expected 4×3×3/);
    expect(() => createHdr(0, 3)).toThrow(/Invalid image size/);
  });
});
