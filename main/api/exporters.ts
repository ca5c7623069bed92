/** Classification results as CSV and GeoJSON files. */
import type { ClassificationRow } from './contract.js';

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row per chip: path, class, confidence, entropy, flag, coordinates, then one probability column per class. */
export function classificationCsv(classes: string[], rows: ClassificationRow[]): string {
  const header = ['key', 'path', 'class', 'confidence', 'entropy', 'flagged', 'lat', 'lon', ...classes.map((c) => `p_${c}`)];
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) {
    lines.push(
      [
        csvField(r.key),
        csvField(r.path),
        csvField(r.className),
        r.confidence.toFixed(6),
        r.entropy.toFixed(6),
        r.flagged ? '1' : '0',
        r.lat === null ? '' : String(r.lat),
        r.lon === null ? '' : String(r.lon),
        ...r.probs.map((p) => p.toFixed(6)),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** A FeatureCollection of points for the chips that carry coordinates (others are left out). */
export function classificationGeoJson(classes: string[], rows: ClassificationRow[]): string {
  const features = rows
    .filter((r) => r.lat !== null && r.lon !== null)
    .map((r) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
      properties: {
        key: r.key,
        path: r.path,
        class: r.className,
        confidence: r.confidence,
        entropy: r.entropy,
        flagged: r.flagged,
        probabilities: Object.fromEntries(classes.map((c, i) => [c, r.probs[i]])),
      },
    }));
  return JSON.stringify({ type: 'FeatureCollection', features }, null, 2) + '\n';
}
