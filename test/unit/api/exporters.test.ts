import { describe, expect, it } from 'vitest';
import type { ClassificationRow } from '../../../main/api/contract.js';
import { classificationCsv, classificationGeoJson } from '../../../main/api/exporters.js';

const rows: ClassificationRow[] = [
  { key: 'a.png', path: '/x/a.png', predicted: 1, className: 'T72', confidence: 0.75, entropy: 0.5, probs: [0.25, 0.75], flagged: false, lat: null, lon: null, url: '' },
  { key: 'b,"c".tif', path: '/x/b,"c".tif', predicted: 0, className: 'BMP2', confidence: 0.9, entropy: 0.1, probs: [0.9, 0.1], flagged: true, lat: 31.5, lon: 121.25, url: '' },
];

describe('classification exporters', () => {
  it('writes CSV with quoting and a probability column per class', () => {
    expect(classificationCsv(['BMP2', 'T72'], rows)).toBe(
      'key,path,class,confidence,entropy,flagged,lat,lon,p_BMP2,p_T72\n' +
        'a.png,/x/a.png,T72,0.750000,0.500000,0,,,0.250000,0.750000\n' +
        '"b,""c"".tif","/x/b,""c"".tif",BMP2,0.900000,0.100000,1,31.5,121.25,0.900000,0.100000\n',
    );
  });

  it('writes GeoJSON points only for chips with coordinates', () => {
    const fc = JSON.parse(classificationGeoJson(['BMP2', 'T72'], rows));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0].geometry).toEqual({ type: 'Point', coordinates: [121.25, 31.5] });
    expect(fc.features[0].properties.probabilities).toEqual({ BMP2: 0.9, T72: 0.1 });
  });
});
