import { describe, expect, it } from 'vitest';
import {
  decodeImageFrame,
  encodeImageFrame,
  encodeImageHeader,
  ImageFrameError,
  IMAGE_HEADER_BYTES,
  parseRequest,
  ApiError,
} from '../../../../src/shared/api/index.js';

describe('image frames', () => {
  it('writes the documented 16-byte little-endian header', () => {
    const data = new Uint8Array(3 * 2 * 3).map((_, i) => i);
    const frame = encodeImageFrame({ width: 3, height: 2, channels: 3, format: 'u8', data });
    expect(IMAGE_HEADER_BYTES).toBe(16);
    expect(Array.from(frame.subarray(0, 16))).toEqual([
      0x42, 0x4b, 0x49, 0x4d, 1, 1, 3, 0, 3, 0, 0, 0, 2, 0, 0, 0,
    ]);
    expect(Array.from(frame.subarray(16))).toEqual(Array.from(data));
  });

  it('round-trips u16 and f32 samples without copying on decode', () => {
    const f = new Float32Array([0, 0.5, 1e6, -2, Number.MIN_VALUE, 3.25]);
    const frame = encodeImageFrame({ width: 2, height: 1, channels: 3, format: 'f32', data: f });
    expect(frame.length).toBe(16 + 24);
    expect(frame[5]).toBe(3);
    const back = decodeImageFrame(frame.buffer as ArrayBuffer);
    expect(back.format).toBe('f32');
    expect(back.data).toBeInstanceOf(Float32Array);
    expect(Array.from(back.data)).toEqual(Array.from(f));
    expect(back.data.buffer).toBe(frame.buffer); // a view, not a copy

    const u = new Uint16Array([0, 1, 65535, 256]);
    const grey = decodeImageFrame(
      encodeImageFrame({ width: 2, height: 2, channels: 1, format: 'u16', data: u }),
    );
    expect([grey.width, grey.height, grey.channels, grey.format]).toEqual([2, 2, 1, 'u16']);
    expect(Array.from(grey.data)).toEqual([0, 1, 65535, 256]);
  });

  it('copies when the frame sits at an odd offset', () => {
    const f = new Float32Array([1.5, 2.5, 3.5]);
    const frame = encodeImageFrame({ width: 1, height: 1, channels: 3, format: 'f32', data: f });
    const shifted = new Uint8Array(frame.length + 1);
    shifted.set(frame, 1);
    expect(Array.from(decodeImageFrame(shifted.subarray(1)).data)).toEqual([1.5, 2.5, 3.5]);
  });

  it('rejects malformed frames and payloads', () => {
    const ok = encodeImageFrame({
      width: 2,
      height: 2,
      channels: 4,
      format: 'u8',
      data: new Uint8Array(16),
    });
    expect(() => decodeImageFrame(ok.subarray(0, 20))).toThrow(ImageFrameError);
    const badMagic = ok.slice();
    badMagic[0] = 0;
    expect(() => decodeImageFrame(badMagic)).toThrow(/magic/);
    const badFormat = ok.slice();
    badFormat[5] = 9;
    expect(() => decodeImageFrame(badFormat)).toThrow(/format/);
    expect(() =>
      encodeImageHeader({
        width: 2,
        height: 2,
        channels: 3,
        format: 'u8',
        data: new Uint8Array(11),
      }),
    ).toThrow(/expected 2×2×3 = 12/);
  });
});

describe('request validation', () => {
  it('fills defaults and names the first bad field', () => {
    expect(parseRequest('image.preview', { path: '/a.jpg' })).toEqual({
      path: '/a.jpg',
      maxSize: 1024,
    });
    expect(parseRequest('image.preview', { path: 'C:\\photos\\a.jpg', maxSize: 64 }).path).toBe(
      'C:\\photos\\a.jpg',
    );
    const err = (() => {
      try {
        parseRequest('bracket.start', { path: '/a.jpg', outDir: '/o', evs: [0.5, -4.5] });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).field).toBe('evs[1]');
    expect((err as ApiError).message).toMatch(/^bracket\.start: evs\[1\]: /);
    expect((err as ApiError).status).toBe(400);
  });
});
