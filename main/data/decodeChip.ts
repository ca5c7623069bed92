/** Chip decoding dispatched by magic bytes (never by extension): PNG, JPEG, TIFF/GeoTIFF, MSTAR Phoenix. */
import { readFile } from 'node:fs/promises';
import type { RawChip } from './types.js';
import { ChipDecodeError, DEFAULT_MAX_SIDE } from './decoders/chipDecodeError.js';
import { decodeJpeg, isJpeg } from './decoders/jpeg.js';
import { decodeMstar, isMstar } from './decoders/mstar.js';
import { decodePng, isPng } from './decoders/png.js';
import { decodeTiff, isTiff } from './decoders/tiff.js';

export { ChipDecodeError, DEFAULT_MAX_SIDE };

export type DetectedFormat = 'png' | 'jpeg' | 'tiff' | 'mstar';

export interface DecodeOptions {
  /** Largest accepted side in pixels (default 4096). */
  maxSide?: number;
}

/** The container format from the first bytes, or null when unknown. */
export function detectChipFormat(buf: Uint8Array): DetectedFormat | null {
  if (isPng(buf)) return 'png';
  if (isJpeg(buf)) return 'jpeg';
  if (isTiff(buf)) return 'tiff';
  if (isMstar(buf)) return 'mstar';
  return null;
}

/** Decodes a chip held in memory; throws ChipDecodeError with a one-line reason naming `nameForErrors`. */
export async function decodeChipBuffer(buf: Buffer, nameForErrors: string, opts: DecodeOptions = {}): Promise<RawChip> {
  const maxSide = opts.maxSide ?? DEFAULT_MAX_SIDE;
  if (buf.length === 0) throw new ChipDecodeError(`${nameForErrors}: empty file`);
  const format = detectChipFormat(buf);
  switch (format) {
    case 'png':
      return decodePng(buf, nameForErrors, maxSide);
    case 'jpeg':
      return decodeJpeg(buf, nameForErrors, maxSide);
    case 'tiff':
      return decodeTiff(buf, nameForErrors, maxSide);
    case 'mstar':
      return decodeMstar(buf, nameForErrors, maxSide);
    default: {
      const head = Array.from(buf.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new ChipDecodeError(`${nameForErrors}: unknown format (first bytes ${head}; expected PNG, JPEG, TIFF or MSTAR Phoenix)`);
    }
  }
}

/** Reads and decodes one chip file. */
export async function decodeChipFile(path: string, opts: DecodeOptions = {}): Promise<RawChip> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw new ChipDecodeError(`${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return decodeChipBuffer(buf, path, opts);
}
