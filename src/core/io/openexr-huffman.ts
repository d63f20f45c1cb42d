/**
 * Decoder for OpenEXR's Huffman coding of 16-bit words (the entropy stage of PIZ).
 *
 * Stream layout (little-endian): minimum symbol `im` (u32), maximum symbol `iM` (u32), table
 * length (u32, unused), number of coded bits `nBits` (u32), a reserved u32, then the packed
 * code-length table for symbols im…iM, then the coded bits (most significant bit first).
 *
 * Code-length table: 6-bit fields; 0…58 is a code length, 59…62 a run of 2…5 zero lengths,
 * 63 followed by an 8-bit count a run of count + 6 zero lengths. Codes are canonical with
 * OpenEXR's convention: longer codes get the numerically smaller values, and within one
 * length symbols are numbered in increasing order. Symbol `iM` is the run-length code:
 * it is followed by 8 bits giving how many more times the previous word repeats.
 */

/** Symbols are 0…65535 plus one run-length pseudo-symbol. */
const ENC_SIZE = 65537;
const MAX_LEN = 58;
const TABLE_BITS = 14;
const TABLE_SIZE = 1 << TABLE_BITS;

/** Thrown for malformed Huffman data; the caller wraps it into an ImageReadError. */
export class HuffmanError extends Error {}

const fail = (why: string): never => {
  throw new HuffmanError(why);
};

// scratch tables reused between calls (a decode is single-threaded and not re-entrant)
const lengths = new Uint8Array(ENC_SIZE);
const fastTable = new Int32Array(TABLE_SIZE);
const counts = new Float64Array(MAX_LEN + 1);
const starts = new Float64Array(MAX_LEN + 1);
let padded = new Uint8Array(0);

/**
 * Reads the packed code lengths for symbols im…iM into `lengths` (others 0).
 * @returns byte position after the table
 */
function readLengths(src: Uint8Array, pos: number, end: number, im: number, iM: number): number {
  let c = 0; // bit buffer; only the low `lc` bits are meaningful
  let lc = 0;
  const bits = (n: number): number => {
    while (lc < n) {
      if (pos >= end) fail('Huffman code table is truncated');
      c = ((c << 8) | src[pos++]) & 0xffffff;
      lc += 8;
    }
    lc -= n;
    return (c >>> lc) & ((1 << n) - 1);
  };
  for (let i = im; i <= iM; i++) {
    const l = bits(6);
    if (l >= 59) {
      const run = l === 63 ? bits(8) + 6 : l - 59 + 2;
      if (i + run > iM + 1) fail('Huffman code table is corrupt (zero run too long)');
      lengths.fill(0, i, i + run);
      i += run - 1;
    } else {
      lengths[i] = l;
    }
  }
  return pos;
}

/**
 * Builds the canonical codes: per-length first code (`starts`) and a symbol list ordered by
 * (length, symbol); fills the 14-bit fast table with (symbol << 6) | length for short codes.
 * @returns symbols sorted by length then value, and each length's offset into that list
 */
function buildCodes(im: number, iM: number): { symbols: Int32Array; offsets: Int32Array } {
  counts.fill(0);
  for (let i = im; i <= iM; i++) counts[lengths[i]]++;
  let c = 0;
  for (let l = MAX_LEN; l > 0; l--) {
    starts[l] = c;
    c = Math.floor((c + counts[l]) / 2);
  }
  const offsets = new Int32Array(MAX_LEN + 2);
  for (let l = 1; l <= MAX_LEN; l++) {
    offsets[l + 1] = offsets[l] + counts[l];
    if (starts[l] + counts[l] > 2 ** l) fail('Huffman code table is corrupt (over-full)');
  }
  const symbols = new Int32Array(offsets[MAX_LEN + 1]);
  const next = offsets.slice();
  fastTable.fill(0);
  for (let s = im; s <= iM; s++) {
    const l = lengths[s];
    if (l === 0) continue;
    const k = next[l]++;
    symbols[k] = s;
    if (l <= TABLE_BITS) {
      const code = starts[l] + (k - offsets[l]);
      const shift = TABLE_BITS - l;
      const from = code << shift;
      fastTable.fill((s << 6) | l, from, from + (1 << shift));
    }
  }
  return { symbols, offsets };
}

/**
 * Decodes an OpenEXR Huffman stream.
 * @param src - the compressed bytes (the `length` bytes that follow PIZ's length field)
 * @param out - receives exactly `out.length` 16-bit words
 * @throws HuffmanError when the stream is malformed, truncated or yields the wrong count
 */
export function huffmanDecode(src: Uint8Array, out: Uint16Array): void {
  const nOut = out.length;
  if (src.length === 0) {
    if (nOut !== 0) fail('Huffman data is empty');
    return;
  }
  if (src.length < 20) fail('Huffman header is truncated');
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const im = dv.getUint32(0, true);
  const iM = dv.getUint32(4, true);
  const nBits = dv.getUint32(12, true);
  if (im >= ENC_SIZE || iM >= ENC_SIZE || im > iM) fail('Huffman table range is invalid');
  const pos = readLengths(src, 20, src.length, im, iM);
  if (pos + Math.ceil(nBits / 8) > src.length) fail('Huffman data is truncated');
  const { symbols, offsets } = buildCodes(im, iM);
  // the coded bits, padded with zero bytes so that 3-byte peeks never run past the end
  const nBytes = Math.ceil(nBits / 8);
  if (padded.length < nBytes + 8) padded = new Uint8Array(nBytes + 1024);
  const d = padded;
  d.set(src.subarray(pos, pos + nBytes));
  d.fill(0, nBytes, nBytes + 8);
  const rlc = iM;
  let p = 0; // bit position
  let o = 0;
  while (o < nOut) {
    if (p >= nBits) fail('Huffman data ends early');
    const b = p >>> 3;
    const w = (d[b] << 16) | (d[b + 1] << 8) | d[b + 2];
    const e = fastTable[(w >>> (10 - (p & 7))) & (TABLE_SIZE - 1)];
    let sym: number;
    let len: number;
    if (e !== 0) {
      sym = e >>> 6;
      len = e & 63;
    } else {
      // long code: extend the 14-bit prefix bit by bit (canonical decode)
      let v = (w >>> (10 - (p & 7))) & (TABLE_SIZE - 1);
      sym = -1;
      len = TABLE_BITS;
      while (sym < 0) {
        if (len >= 53 || p + len >= nBits) fail('Huffman code is invalid');
        const q = p + len;
        v = v * 2 + ((d[q >>> 3] >>> (7 - (q & 7))) & 1);
        len++;
        const first = starts[len];
        if (counts[len] > 0 && v >= first && v - first < counts[len]) {
          sym = symbols[offsets[len] + (v - first)];
        }
      }
    }
    p += len;
    if (p > nBits) fail('Huffman data ends early');
    if (sym === rlc) {
      if (p + 8 > nBits) fail('Huffman data ends early');
      const rb = p >>> 3;
      const run = (((d[rb] << 8) | d[rb + 1]) >>> (8 - (p & 7))) & 0xff;
      p += 8;
      if (o === 0) fail('Huffman run has no previous value');
      if (o + run > nOut) fail('Huffman data yields too many values');
      const prev = out[o - 1];
      for (const e = o + run; o < e; o++) out[o] = prev;
    } else {
      out[o++] = sym;
    }
  }
}
