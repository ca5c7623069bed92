/** Errors raised while decoding a chip file; `message` is the one-line reason shown to the analyst. */
export class ChipDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChipDecodeError';
  }
}

/** Largest accepted chip side in pixels (a chip is a small image around one target). */
export const DEFAULT_MAX_SIDE = 4096;

/** Throws when a declared image size is zero, not an integer or larger than `maxSide` on either side. */
export function assertChipSize(width: number, height: number, name: string, maxSide = DEFAULT_MAX_SIDE): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ChipDecodeError(`${name}: invalid image size ${width}×${height}`);
  }
  if (width > maxSide || height > maxSide) {
    throw new ChipDecodeError(`${name}: image ${width}×${height} exceeds the ${maxSide} px side limit`);
  }
}

/** Averages the first three of `stride` interleaved components into one channel. */
export function averageRgb(src: ArrayLike<number>, pixels: number, stride: number): Float32Array {
  const out = new Float32Array(pixels);
  for (let p = 0, o = 0; p < pixels; p++, o += stride) out[p] = (src[o] + src[o + 1] + src[o + 2]) / 3;
  return out;
}
