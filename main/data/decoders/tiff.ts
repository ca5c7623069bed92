/**
 * TIFF / GeoTIFF chips via the `geotiff` package: uint8 → 'tiff8', (u)int16 → 'tiff16',
 * float32/64 → 'tiffFloat'; 1–2 bands kept (OpenSARShip sigma0: VH, VV), RGB(A) averaged to one
 * channel; uncompressed, PackBits, LZW, deflate (whatever geotiff decodes). Non-finite float samples
 * (NaN no-data) become 0.
 */
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import type { ChipFormat, RawChip } from '../types.js';
import { ChipDecodeError, assertChipSize, averageRgb } from './chipDecodeError.js';
import { geoCentre } from './tiffGeo.js';

export function isTiff(buf: Uint8Array): boolean {
  if (buf.length < 8) return false;
  const le = buf[0] === 0x49 && buf[1] === 0x49 && (buf[2] === 0x2a || buf[2] === 0x2b) && buf[3] === 0;
  const be = buf[0] === 0x4d && buf[1] === 0x4d && buf[2] === 0 && (buf[3] === 0x2a || buf[3] === 0x2b);
  return le || be;
}

function formatOf(bits: number, sampleFormat: number, name: string): ChipFormat {
  if (bits === 8 && sampleFormat === 1) return 'tiff8';
  if (bits === 16 && (sampleFormat === 1 || sampleFormat === 2)) return 'tiff16';
  if ((bits === 32 || bits === 64) && sampleFormat === 3) return 'tiffFloat';
  const kind = sampleFormat === 3 ? 'float' : sampleFormat === 2 ? 'int' : 'uint';
  throw new ChipDecodeError(`${name}: unsupported TIFF sample type ${kind}${bits}`);
}

/** Every strip/tile must lie inside the file, otherwise the file is truncated. */
async function assertBlocksInside(image: GeoTIFFImage, fileLength: number, name: string): Promise<void> {
  const fd = image.getFileDirectory();
  const tiled = !fd.hasTag('StripOffsets');
  const offsets = (await fd.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number> | undefined;
  const counts = (await fd.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as ArrayLike<number> | undefined;
  if (!offsets || !counts || offsets.length === 0 || counts.length !== offsets.length) {
    throw new ChipDecodeError(`${name}: TIFF without valid strip/tile offsets`);
  }
  for (let k = 0; k < offsets.length; k++) {
    if (Number(offsets[k]) + Number(counts[k]) > fileLength) {
      throw new ChipDecodeError(`${name}: truncated TIFF (pixel data ends at byte ${Number(offsets[k]) + Number(counts[k])} of ${fileLength})`);
    }
  }
}

export async function decodeTiff(buf: Buffer, name: string, maxSide?: number): Promise<RawChip> {
  let image: GeoTIFFImage;
  try {
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    image = await (await fromArrayBuffer(ab)).getImage(0);
  } catch (err) {
    throw new ChipDecodeError(`${name}: corrupt or truncated TIFF (${(err as Error).message})`);
  }
  const width = image.getWidth();
  const height = image.getHeight();
  assertChipSize(width, height, name, maxSide);
  const bands = image.getSamplesPerPixel();
  const format = formatOf(image.getBitsPerSample(0), image.getSampleFormat(0), name);
  const photometric = image.getFileDirectory().getValue('PhotometricInterpretation') as number | undefined;
  const rgb = photometric === 2 && bands >= 3;
  if (!rgb && (bands < 1 || bands > 2)) throw new ChipDecodeError(`${name}: TIFF with ${bands} bands (expected 1 or 2, or RGB)`);
  await assertBlocksInside(image, buf.length, name);
  let raster: ArrayLike<number>;
  try {
    raster = (await image.readRasters({ interleave: true })) as unknown as ArrayLike<number>;
  } catch (err) {
    throw new ChipDecodeError(`${name}: corrupt TIFF pixel data (${(err as Error).message})`);
  }
  const pixels = width * height;
  if (raster.length < pixels * bands) throw new ChipDecodeError(`${name}: truncated TIFF pixel data`);
  const channels = rgb ? 1 : bands;
  let data: Float32Array;
  if (rgb) data = averageRgb(raster, pixels, bands);
  else {
    data = new Float32Array(pixels * bands);
    for (let k = 0; k < data.length; k++) data[k] = raster[k];
  }
  if (format === 'tiffFloat') for (let k = 0; k < data.length; k++) if (!Number.isFinite(data[k])) data[k] = 0;
  let geo: RawChip['geo'];
  try {
    geo = await geoCentre(image);
  } catch {
    geo = undefined; // malformed georeferencing does not make the pixels unreadable
  }
  const chip: RawChip = { width, height, channels, data, format, linear: format !== 'tiff8' };
  if (geo) chip.geo = geo;
  return chip;
}
