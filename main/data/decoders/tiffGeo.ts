/**
 * Centre longitude/latitude of a GeoTIFF chip from its georeferencing tags:
 * ModelTransformation, one tie point + ModelPixelScale, or ≥3 tie points (least-squares affine,
 * as in Sentinel-1 GCP grids). Only geographic coordinates are returned: GTModelTypeGeoKey = 2, or
 * no GeoKeyDirectory and every coordinate inside lon/lat range. Projected CRSs give no geo.
 */
import type { GeoTIFFImage } from 'geotiff';

type Geo = { lat: number; lon: number };
type Affine = [number, number, number, number, number, number]; // x = a*i + b*j + c; y = d*i + e*j + f

async function tagNumbers(image: GeoTIFFImage, tag: string): Promise<number[] | null> {
  const fd = image.getFileDirectory();
  if (!fd.hasTag(tag as never)) return null;
  const value = (await fd.loadValue(tag as never)) as unknown;
  if (value == null) return null;
  return Array.from(value as ArrayLike<number>, Number);
}

/** Solves the 3×3 system m·v = r by Cramer's rule; null when singular. */
function solve3(m: number[][], r: number[]): number[] | null {
  const det = (a: number[][]): number =>
    a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
    a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
    a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det(m);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-12) return null;
  return [0, 1, 2].map((col) => det(m.map((row, k) => row.map((v, c) => (c === col ? r[k] : v)))) / d);
}

/** Least-squares affine fit (i, j) → (x, y) over tie points [i, j, k, x, y, z, ...]. */
export function fitAffine(tie: number[]): Affine | null {
  const n = Math.floor(tie.length / 6);
  if (n < 3) return null;
  const ata = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const atx = [0, 0, 0];
  const aty = [0, 0, 0];
  for (let p = 0; p < n; p++) {
    const row = [tie[p * 6], tie[p * 6 + 1], 1];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) ata[r][c] += row[r] * row[c];
      atx[r] += row[r] * tie[p * 6 + 3];
      aty[r] += row[r] * tie[p * 6 + 4];
    }
  }
  const cx = solve3(ata, atx);
  const cy = solve3(ata, aty);
  return cx && cy ? [cx[0], cx[1], cx[2], cy[0], cy[1], cy[2]] : null;
}

async function rasterToModel(image: GeoTIFFImage): Promise<Affine | null> {
  const transform = await tagNumbers(image, 'ModelTransformation');
  if (transform && transform.length >= 8) {
    return [transform[0], transform[1], transform[3], transform[4], transform[5], transform[7]];
  }
  const tie = await tagNumbers(image, 'ModelTiepoint');
  if (!tie || tie.length < 6) return null;
  const scale = await tagNumbers(image, 'ModelPixelScale');
  if (tie.length < 18 && scale && scale.length >= 2) {
    const [i0, j0, , x0, y0] = tie;
    return [scale[0], 0, x0 - i0 * scale[0], 0, -scale[1], y0 + j0 * scale[1]];
  }
  return fitAffine(tie);
}

export async function geoCentre(image: GeoTIFFImage): Promise<Geo | undefined> {
  const affine = await rasterToModel(image);
  if (!affine) return undefined;
  const keys = image.getGeoKeys() as Record<string, unknown> | null;
  const pixelIsPoint = keys?.GTRasterTypeGeoKey === 2;
  const ci = pixelIsPoint ? (image.getWidth() - 1) / 2 : image.getWidth() / 2;
  const cj = pixelIsPoint ? (image.getHeight() - 1) / 2 : image.getHeight() / 2;
  const lon = affine[0] * ci + affine[1] * cj + affine[2];
  const lat = affine[3] * ci + affine[4] * cj + affine[5];
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
  const modelType = keys?.GTModelTypeGeoKey;
  const geographic = modelType === 2 || (modelType === undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180);
  return geographic ? { lat, lon } : undefined;
}
