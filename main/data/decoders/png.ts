/** PNG chips (pngjs): 1–16-bit gray, RGB, RGBA, palette → one channel (RGB averaged, alpha ignored). */
import { PNG } from 'pngjs';
import type { RawChip } from '../types.js';
import { ChipDecodeError, assertChipSize, averageRgb } from './chipDecodeError.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(buf: Uint8Array): boolean {
  return buf.length >= 8 && PNG_SIGNATURE.every((b, i) => buf[i] === b);
}

export function decodePng(buf: Buffer, name: string, maxSide?: number): RawChip {
  if (buf.length < 33 || buf.toString('latin1', 12, 16) !== 'IHDR') {
    throw new ChipDecodeError(`${name}: truncated PNG (no IHDR chunk)`);
  }
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const depth = buf[24];
  assertChipSize(width, height, name, maxSide);
  let png: PNG;
  try {
    // 16-bit samples keep their full range; 1/2/4-bit gray is scaled to 0–255 by pngjs.
    png = PNG.sync.read(buf, { skipRescale: depth === 16 });
  } catch (err) {
    throw new ChipDecodeError(`${name}: corrupt or truncated PNG (${(err as Error).message})`);
  }
  const pixels = width * height;
  if (png.data.length < pixels * 4) throw new ChipDecodeError(`${name}: truncated PNG pixel data`);
  // pngjs always returns RGBA; gray images have R = G = B, so the average is the gray value exactly.
  const data = averageRgb(png.data as ArrayLike<number>, pixels, 4);
  return { width, height, channels: 1, data, format: 'png', linear: false };
}
