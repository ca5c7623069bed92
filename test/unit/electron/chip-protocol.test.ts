import { describe, expect, it, vi } from 'vitest';
import { PNG } from 'pngjs';
import { ApiError, type ChipRef } from '../../../main/api/contract.js';
import { chipPath } from '../../../main/api/protocol.js';
import { CHIP_SCHEME_PRIVILEGES, chipRefFromUrl, createChipHandler } from '../../../electron/chip-protocol.js';

function tinyPng(): Buffer {
  const png = new PNG({ width: 2, height: 1 });
  png.data.set([10, 20, 30, 255, 200, 210, 220, 255]);
  return PNG.sync.write(png);
}

describe('chip:// protocol', () => {
  it('is registered privileged as a standard, secure scheme', () => {
    expect(CHIP_SCHEME_PRIVILEGES).toEqual({ scheme: 'chip', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });

  it('parses URLs built from chipPath back into the same reference', () => {
    const refs: ChipRef[] = [
      { kind: 'sample', datasetId: 12, key: 'T72/HB03333.015.jpg', stretch: 'db' },
      { kind: 'classified', classificationId: 4, key: 'C:\\chips\\a b&c.tif', stretch: undefined },
    ];
    for (const ref of refs) expect(chipRefFromUrl(`chip://${chipPath(ref)}`)).toEqual(ref);
  });

  it('serves the rendered PNG with an image/png content type', async () => {
    const png = tinyPng();
    const render = vi.fn(async () => png);
    const handler = createChipHandler(render);
    const response = await handler(new Request('chip://sample/3?key=BMP2%2Fx.jpg&stretch=linear'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe(String(png.length));
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(png)).toBe(true);
    expect(PNG.sync.read(body).width).toBe(2);
    expect(render).toHaveBeenCalledWith({ kind: 'sample', datasetId: 3, key: 'BMP2/x.jpg', stretch: 'linear' });
  });

  it('answers 404 for malformed chip paths without rendering', async () => {
    const render = vi.fn(async () => tinyPng());
    const handler = createChipHandler(render);
    for (const url of ['chip://sample/3', 'chip://sample/abc?key=a', 'chip://thumbs/3?key=a', 'chip://sample/3/extra?key=a', 'chip://classified/?key=a']) {
      const response = await handler(new Request(url));
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    }
    expect(render).not.toHaveBeenCalled();
  });

  it('maps service errors to HTTP statuses and refuses other methods', async () => {
    const log = vi.fn();
    const handler = createChipHandler(async (ref) => {
      if (ref.key === 'missing') throw new ApiError('notFound', 'Chip missing is not in dataset 3');
      throw new Error('decoder crashed');
    }, log);
    const missing = await handler(new Request('chip://sample/3?key=missing'));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('Chip missing is not in dataset 3');
    const broken = await handler(new Request('chip://sample/3?key=bad'));
    expect(broken.status).toBe(500);
    expect(log).toHaveBeenCalledWith('chip:// chip://sample/3?key=bad: decoder crashed');
    const post = await handler(new Request('chip://sample/3?key=a', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });
});
