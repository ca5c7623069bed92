/** Hand-built baseline TIFF files for decoder tests (strips, optional compression and GeoTIFF tags). */
import { deflateSync } from 'node:zlib';

export type TiffSampleType = 'uint8' | 'uint16' | 'float32';
export type TiffCompression = 'none' | 'packbits' | 'lzw' | 'deflate';

export interface TiffSpec {
  width: number;
  height: number;
  bands: number;
  type: TiffSampleType;
  /** width·height·bands values, HWC (chunky). */
  values: ArrayLike<number>;
  littleEndian?: boolean;
  compression?: TiffCompression;
  rowsPerStrip?: number;
  photometric?: number;
  /** Size written into the header instead of width/height (pixel data stays as given). */
  declaredWidth?: number;
  declaredHeight?: number;
  geo?: { tiepoints?: number[]; pixelScale?: number[]; transform?: number[]; modelType?: number; rasterType?: number };
}

const COMPRESSION_CODE: Record<TiffCompression, number> = { none: 1, lzw: 5, deflate: 8, packbits: 32773 };
const BYTES: Record<TiffSampleType, number> = { uint8: 1, uint16: 2, float32: 4 };

/** PackBits: runs of ≥3 equal bytes as replicate runs, everything else as literal runs. */
export function packBits(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    let run = 1;
    while (i + run < src.length && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 3) {
      out.push(257 - run, src[i]);
      i += run;
      continue;
    }
    const start = i;
    while (i < src.length && i - start < 128 && !(i + 2 < src.length && src[i] === src[i + 1] && src[i] === src[i + 2])) i++;
    out.push(i - start - 1, ...src.subarray(start, i));
  }
  return Uint8Array.from(out);
}

/** TIFF LZW (MSB-first codes, 9–12 bits, early change), a clear code first and on dictionary full. */
export function lzwEncode(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let nbits = 0;
  const emit = (code: number, width: number): void => {
    acc = (acc << width) | code;
    nbits += width;
    while (nbits >= 8) {
      out.push((acc >>> (nbits - 8)) & 0xff);
      nbits -= 8;
    }
    acc &= (1 << nbits) - 1;
  };
  let dict = new Map<number, number>();
  let next = 258;
  let width = 9;
  emit(256, width);
  if (src.length === 0) {
    emit(257, width);
    return Uint8Array.from(nbits > 0 ? [...out, (acc << (8 - nbits)) & 0xff] : out);
  }
  let prefix = src[0];
  for (let i = 1; i < src.length; i++) {
    const c = src[i];
    const key = prefix * 256 + c;
    const hit = dict.get(key);
    if (hit !== undefined) {
      prefix = hit;
      continue;
    }
    emit(prefix, width);
    dict.set(key, next++);
    if (next >= 1 << width) width++;
    if (next >= 4093) {
      emit(256, width);
      dict = new Map();
      next = 258;
      width = 9;
    }
    prefix = c;
  }
  emit(prefix, width);
  if (next + 1 >= 1 << width) width++;
  emit(257, width);
  if (nbits > 0) out.push((acc << (8 - nbits)) & 0xff);
  return Uint8Array.from(out);
}

function sampleBytes(spec: TiffSpec, le: boolean, from: number, count: number): Uint8Array {
  const size = BYTES[spec.type];
  const buf = new Uint8Array(count * size);
  const dv = new DataView(buf.buffer);
  for (let k = 0; k < count; k++) {
    const v = spec.values[from + k];
    if (spec.type === 'uint8') dv.setUint8(k, v);
    else if (spec.type === 'uint16') dv.setUint16(k * 2, v, le);
    else dv.setFloat32(k * 4, v, le);
  }
  return buf;
}

function compress(raw: Uint8Array, c: TiffCompression): Uint8Array {
  if (c === 'packbits') return packBits(raw);
  if (c === 'lzw') return lzwEncode(raw);
  if (c === 'deflate') return new Uint8Array(deflateSync(raw));
  return raw;
}

type Entry = { tag: number; type: 3 | 4 | 12; values: number[] };

export function buildTiff(spec: TiffSpec): Buffer {
  const le = spec.littleEndian ?? true;
  const compression = spec.compression ?? 'none';
  const rps = spec.rowsPerStrip ?? spec.height;
  const rowValues = spec.width * spec.bands;
  const strips: Uint8Array[] = [];
  for (let y = 0; y < spec.height; y += rps) {
    const rows = Math.min(rps, spec.height - y);
    strips.push(compress(sampleBytes(spec, le, y * rowValues, rows * rowValues), compression));
  }
  const entries: Entry[] = [
    { tag: 256, type: 4, values: [spec.declaredWidth ?? spec.width] },
    { tag: 257, type: 4, values: [spec.declaredHeight ?? spec.height] },
    { tag: 258, type: 3, values: new Array(spec.bands).fill(BYTES[spec.type] * 8) },
    { tag: 259, type: 3, values: [COMPRESSION_CODE[compression]] },
    { tag: 262, type: 3, values: [spec.photometric ?? 1] },
    { tag: 273, type: 4, values: [] }, // strip offsets, filled below
    { tag: 277, type: 3, values: [spec.bands] },
    { tag: 278, type: 4, values: [rps] },
    { tag: 279, type: 4, values: strips.map((s) => s.length) },
    { tag: 284, type: 3, values: [1] },
    { tag: 339, type: 3, values: new Array(spec.bands).fill(spec.type === 'float32' ? 3 : 1) },
  ];
  const g = spec.geo;
  if (g?.pixelScale) entries.push({ tag: 33550, type: 12, values: g.pixelScale });
  if (g?.tiepoints) entries.push({ tag: 33922, type: 12, values: g.tiepoints });
  if (g?.transform) entries.push({ tag: 34264, type: 12, values: g.transform });
  if (g?.modelType !== undefined || g?.rasterType !== undefined) {
    const keys: number[] = [];
    if (g.modelType !== undefined) keys.push(1024, 0, 1, g.modelType);
    if (g.rasterType !== undefined) keys.push(1025, 0, 1, g.rasterType);
    entries.push({ tag: 34735, type: 3, values: [1, 1, 0, keys.length / 4, ...keys] });
  }
  entries.sort((a, b) => a.tag - b.tag);

  let offset = 8;
  const stripOffsets = strips.map((s) => {
    const at = offset;
    offset += s.length + (s.length % 2);
    return at;
  });
  entries.find((e) => e.tag === 273)!.values = stripOffsets;
  const ifdAt = offset;
  const ifdSize = 2 + entries.length * 12 + 4;
  let extraAt = ifdAt + ifdSize;
  const typeSize = { 3: 2, 4: 4, 12: 8 } as const;
  const extraSize = entries.reduce((n, e) => (e.values.length * typeSize[e.type] > 4 ? n + e.values.length * typeSize[e.type] : n), 0);
  const buf = Buffer.alloc(extraAt + extraSize);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  buf.write(le ? 'II' : 'MM', 0, 'latin1');
  dv.setUint16(2, 42, le);
  dv.setUint32(4, ifdAt, le);
  strips.forEach((s, k) => buf.set(s, stripOffsets[k]));
  dv.setUint16(ifdAt, entries.length, le);
  const put = (at: number, type: 3 | 4 | 12, v: number): void => {
    if (type === 3) dv.setUint16(at, v, le);
    else if (type === 4) dv.setUint32(at, v, le);
    else dv.setFloat64(at, v, le);
  };
  entries.forEach((e, k) => {
    const at = ifdAt + 2 + k * 12;
    dv.setUint16(at, e.tag, le);
    dv.setUint16(at + 2, e.type, le);
    dv.setUint32(at + 4, e.values.length, le);
    const bytes = e.values.length * typeSize[e.type];
    let dest = at + 8;
    if (bytes > 4) {
      dv.setUint32(at + 8, extraAt, le);
      dest = extraAt;
      extraAt += bytes;
    }
    e.values.forEach((v, i) => put(dest + i * typeSize[e.type], e.type, v));
  });
  dv.setUint32(ifdAt + 2 + entries.length * 12, 0, le);
  return buf;
}
