/** Simple chip features for checking what separates the demo classes (tests only). */

/** 16-bin histogram of 8-bit values (intensity statistics only, no shape). */
export function histogram16(d: Float32Array): number[] {
  const h = new Array<number>(16).fill(0);
  for (const v of d) h[Math.min(15, Math.floor(v / 16))] += 1 / d.length;
  return h;
}

/** Shape: √(area) of bright pixels after a 3×3 mean filter, and their elongation √(λ1/λ2). */
export function brightShape(d: Float32Array, size: number): number[] {
  const pts: [number, number][] = [];
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      let s = 0;
      for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) s += d[(y + a) * size + x + b];
      if (s / 9 > 130) pts.push([x, y]);
    }
  }
  const n = pts.length;
  if (n < 2) return [Math.sqrt(n), 0];
  const mx = pts.reduce((a, p) => a + p[0], 0) / n;
  const my = pts.reduce((a, p) => a + p[1], 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [x, y] of pts) {
    sxx += (x - mx) ** 2 / n;
    syy += (y - my) ** 2 / n;
    sxy += ((x - mx) * (y - my)) / n;
  }
  const half = (sxx + syy) / 2;
  const root = Math.sqrt(Math.max(0, half * half - (sxx * syy - sxy * sxy)));
  return [Math.sqrt(n), Math.sqrt((half + root) / Math.max(half - root, 0.25))];
}

/** Leave-one-out nearest-centroid accuracy on standardised features. */
export function leaveOneOutAccuracy(features: number[][], labels: number[]): number {
  const D = features[0].length;
  const mu = Array.from({ length: D }, (_, k) => features.reduce((a, f) => a + f[k], 0) / features.length);
  const sd = Array.from({ length: D }, (_, k) => Math.sqrt(features.reduce((a, f) => a + (f[k] - mu[k]) ** 2, 0) / features.length) || 1);
  const z = features.map((f) => f.map((v, k) => (v - mu[k]) / sd[k]));
  const classes = [...new Set(labels)];
  let ok = 0;
  z.forEach((fi, i) => {
    const dist = classes.map((c) => {
      const m = new Array<number>(D).fill(0);
      let n = 0;
      z.forEach((f, j) => {
        if (j === i || labels[j] !== c) return;
        n++;
        f.forEach((v, k) => (m[k] += v));
      });
      return m.reduce((a, v, k) => a + (v / n - fi[k]) ** 2, 0);
    });
    if (classes[dist.indexOf(Math.min(...dist))] === labels[i]) ok++;
  });
  return ok / z.length;
}
