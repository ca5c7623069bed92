/** Renders a chip file as an 8-bit PNG for display: one band (VV), percentile stretch, linear or dB. */
import { decodeChipFile } from '../data/decodeChip.js';
import { encodeGrayPng } from '../data/demo/demoDataset.js';
import type { RawChip } from '../data/types.js';

export type Stretch = 'linear' | 'db';

/** Display values 0–255 from the chip's last band (VV for 2-band VH,VV chips), stretched between the 1st and 99th percentiles. */
export function stretchChip(raw: RawChip, stretch: Stretch): RawChip {
  const n = raw.width * raw.height;
  const band = raw.channels - 1;
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = raw.data[i * raw.channels + band];
    values[i] = stretch === 'db' ? 10 * Math.log10(Math.max(Math.abs(v), 1e-6)) : v;
  }
  const sorted = Float32Array.from(values).sort();
  const lo = sorted[Math.floor(0.01 * (n - 1))];
  const hi = sorted[Math.ceil(0.99 * (n - 1))];
  const span = hi - lo || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(255, Math.max(0, ((values[i] - lo) / span) * 255));
  return { ...raw, channels: 1, data: out };
}

/** Small LRU of rendered PNGs: galleries ask for the same chips again while scrolling. */
export class ChipImageCache {
  private readonly cache = new Map<string, Buffer>();
  constructor(private readonly capacity = 512) {}

  async render(path: string, stretch: Stretch): Promise<Buffer> {
    const key = `${stretch}\0${path}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const png = encodeGrayPng(stretchChip(await decodeChipFile(path), stretch));
    this.cache.set(key, png);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return png;
  }
}
