// Draws the app icon (a radar scope over a dark tile: range rings, a sweep, three returns) as
// resources/icon.png (1024×1024, what electron-builder turns into .icns/.ico/Linux sizes) and the
// same picture as resources/icon.svg. Deterministic: run `node resources/make-icons.mjs`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SIZE = 1024;
// Geometry in a 0..1 unit square.
const TILE = { inset: 0.06, radius: 0.2 };
const CENTER = 0.5;
const RINGS = [0.14, 0.25, 0.36];
const RING_WIDTH = 0.012;
const SWEEP = { from: -100, to: -30, radius: 0.36 }; // degrees, 0 = east, clockwise on screen
const BLIPS = [
  { x: 0.63, y: 0.3, r: 0.03 },
  { x: 0.71, y: 0.44, r: 0.022 },
  { x: 0.38, y: 0.66, r: 0.026 },
];
const COLORS = {
  tileTop: [18, 32, 48],
  tileBottom: [8, 16, 26],
  ring: [64, 196, 170],
  sweep: [64, 196, 170],
  blip: [255, 214, 102],
};

const clamp01 = (v) => Math.min(1, Math.max(0, v));
/** Coverage of a shape edge at signed distance d (negative inside), one pixel wide. */
const cover = (d, px) => clamp01(0.5 - d / px);

function roundedRectDistance(x, y) {
  const half = 0.5 - TILE.inset;
  const qx = Math.abs(x - 0.5) - (half - TILE.radius);
  const qy = Math.abs(y - 0.5) - (half - TILE.radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - TILE.radius;
}

function over(dst, rgb, alpha) {
  for (let i = 0; i < 3; i++) dst[i] = dst[i] * (1 - alpha) + rgb[i] * alpha;
}

export function drawIconPixels(size = SIZE) {
  const px = 1 / size;
  const data = Buffer.alloc(size * size * 4);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) / size;
      const y = (j + 0.5) / size;
      const tileAlpha = cover(roundedRectDistance(x, y), px);
      const t = clamp01((y - TILE.inset) / (1 - 2 * TILE.inset));
      const rgb = COLORS.tileTop.map((c, k) => c * (1 - t) + COLORS.tileBottom[k] * t);
      const dx = x - CENTER;
      const dy = y - CENTER;
      const r = Math.hypot(dx, dy);
      // Sweep: a wedge whose brightness fades from its leading edge (SWEEP.to) backwards.
      const angle = (Math.atan2(dy, dx) * 180) / Math.PI;
      if (r < SWEEP.radius && angle >= SWEEP.from && angle <= SWEEP.to) {
        const lead = (angle - SWEEP.from) / (SWEEP.to - SWEEP.from);
        over(rgb, COLORS.sweep, 0.55 * lead * lead * cover(r - SWEEP.radius, px));
      }
      for (const ring of RINGS) over(rgb, COLORS.ring, 0.9 * cover(Math.abs(r - ring) - RING_WIDTH / 2, px));
      // Cross hairs.
      const onAxis = Math.min(Math.abs(dx), Math.abs(dy));
      if (r < RINGS[2] + RING_WIDTH) over(rgb, COLORS.ring, 0.35 * cover(onAxis - RING_WIDTH / 4, px));
      for (const b of BLIPS) {
        const d = Math.hypot(x - b.x, y - b.y);
        over(rgb, COLORS.blip, 0.35 * clamp01(1 - d / (b.r * 2.2)));
        over(rgb, COLORS.blip, cover(d - b.r, px));
      }
      const o = (j * size + i) * 4;
      data[o] = Math.round(rgb[0]);
      data[o + 1] = Math.round(rgb[1]);
      data[o + 2] = Math.round(rgb[2]);
      data[o + 3] = Math.round(255 * tileAlpha);
    }
  }
  return data;
}

export function iconSvg() {
  const s = (v) => +(v * SIZE).toFixed(2);
  const c = s(CENTER);
  const polar = (deg, rad) => [c + s(rad) * Math.cos((deg * Math.PI) / 180), c + s(rad) * Math.sin((deg * Math.PI) / 180)].map((v) => +v.toFixed(2));
  const [x0, y0] = polar(SWEEP.from, SWEEP.radius);
  const [x1, y1] = polar(SWEEP.to, SWEEP.radius);
  const [gx0, gy0] = polar(SWEEP.from, SWEEP.radius * 0.7);
  const [gx1, gy1] = polar(SWEEP.to, SWEEP.radius * 0.7);
  const rgb = (a) => `rgb(${a.join(',')})`;
  const rings = RINGS.map((r) => `<circle cx="${c}" cy="${c}" r="${s(r)}" fill="none" stroke="${rgb(COLORS.ring)}" stroke-opacity="0.9" stroke-width="${s(RING_WIDTH)}"/>`);
  const hair = s(RINGS[2] + RING_WIDTH);
  const blips = BLIPS.flatMap((b) => [
    `<circle cx="${s(b.x)}" cy="${s(b.y)}" r="${s(b.r * 2.2)}" fill="url(#glow)"/>`,
    `<circle cx="${s(b.x)}" cy="${s(b.y)}" r="${s(b.r)}" fill="${rgb(COLORS.blip)}"/>`,
  ]);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">`,
    '<defs>',
    `<linearGradient id="tile" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${rgb(COLORS.tileTop)}"/><stop offset="1" stop-color="${rgb(COLORS.tileBottom)}"/></linearGradient>`,
    `<linearGradient id="sweep" gradientUnits="userSpaceOnUse" x1="${gx0}" y1="${gy0}" x2="${gx1}" y2="${gy1}"><stop offset="0" stop-color="${rgb(COLORS.sweep)}" stop-opacity="0"/><stop offset="1" stop-color="${rgb(COLORS.sweep)}" stop-opacity="0.55"/></linearGradient>`,
    `<radialGradient id="glow"><stop offset="0" stop-color="${rgb(COLORS.blip)}" stop-opacity="0.35"/><stop offset="1" stop-color="${rgb(COLORS.blip)}" stop-opacity="0"/></radialGradient>`,
    '</defs>',
    `<rect x="${s(TILE.inset)}" y="${s(TILE.inset)}" width="${s(1 - 2 * TILE.inset)}" height="${s(1 - 2 * TILE.inset)}" rx="${s(TILE.radius)}" fill="url(#tile)"/>`,
    `<path d="M${c} ${c}L${x0} ${y0}A${s(SWEEP.radius)} ${s(SWEEP.radius)} 0 0 1 ${x1} ${y1}Z" fill="url(#sweep)"/>`,
    ...rings,
    `<path d="M${c - hair} ${c}H${c + hair}M${c} ${c - hair}V${c + hair}" stroke="${rgb(COLORS.ring)}" stroke-opacity="0.35" stroke-width="${s(RING_WIDTH / 2)}"/>`,
    ...blips,
    '</svg>',
    '',
  ].join('\n');
}

function writePng(file, size) {
  const png = new PNG({ width: size, height: size });
  drawIconPixels(size).copy(png.data);
  writeFileSync(file, PNG.sync.write(png, { colorType: 6 }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writePng(path.join(HERE, 'icon.png'), SIZE);
  writeFileSync(path.join(HERE, 'icon.svg'), iconSvg());
  console.log(`wrote ${path.join(HERE, 'icon.png')} and icon.svg`);
}
