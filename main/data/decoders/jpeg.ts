/** Baseline/progressive JPEG chips (jpeg-js): gray or RGB → one channel (RGB averaged). */
import jpeg from 'jpeg-js';
import type { RawChip } from '../types.js';
import { ChipDecodeError, assertChipSize, averageRgb } from './chipDecodeError.js';

export function isJpeg(buf: Uint8Array): boolean {
  return buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
}

/** Reads width/height from the first SOF marker without decoding; null if none is found. */
export function jpegDimensions(buf: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1];
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    const len = (buf[i + 2] << 8) | buf[i + 3];
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: (buf[i + 5] << 8) | buf[i + 6], width: (buf[i + 7] << 8) | buf[i + 8] };
    i += 2 + len;
  }
  return null;
}

export function decodeJpeg(buf: Buffer, name: string, maxSide?: number): RawChip {
  const dims = jpegDimensions(buf);
  if (!dims) throw new ChipDecodeError(`${name}: corrupt or truncated JPEG (no frame header)`);
  assertChipSize(dims.width, dims.height, name, maxSide);
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxMemoryUsageInMB: 256 });
  } catch (err) {
    throw new ChipDecodeError(`${name}: corrupt or truncated JPEG (${(err as Error).message})`);
  }
  const pixels = img.width * img.height;
  if (img.width !== dims.width || img.height !== dims.height || img.data.length < pixels * 3) {
    throw new ChipDecodeError(`${name}: corrupt JPEG (decoded size differs from header)`);
  }
  // formatAsRGBA=false gives 3 components per pixel; gray JPEGs repeat Y, so the average is exact.
  return { width: img.width, height: img.height, channels: 1, data: averageRgb(img.data, pixels, 3), format: 'jpeg', linear: false };
}
