/**
 * The chip:// protocol: chip://sample/<datasetId>?key=… and chip://classified/<id>?key=… answer
 * with the PNG the app service renders. Registered privileged (standard, secure) before app ready.
 */
import type { CustomScheme } from 'electron';
import { ApiError, type ChipRef } from '../main/api/contract.js';
import { CHIP_SCHEME, parseChipPath } from '../main/api/protocol.js';

export const CHIP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: CHIP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

const STATUS_BY_CODE: Record<ApiError['code'], number> = { invalid: 400, notFound: 404, conflict: 409, unknownOperation: 400, failed: 500 };

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Parse a chip:// URL (the host is the kind: chip://sample/12?key=…) into a ChipRef; null if malformed. */
export function chipRefFromUrl(url: string): ChipRef | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${CHIP_SCHEME}:`) return null;
  return parseChipPath(`${u.host}${u.pathname}`, u.searchParams);
}

/** A protocol.handle handler serving chip PNGs from `render`. */
export function createChipHandler(render: (ref: ChipRef) => Promise<Buffer>, log: (message: string) => void = console.error) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    const ref = chipRefFromUrl(request.url);
    if (!ref) return textResponse(404, `Not a chip URL: ${request.url}`);
    try {
      const png = await render(ref);
      const body = request.method === 'HEAD' ? null : new Uint8Array(png);
      return new Response(body, {
        status: 200,
        headers: { 'Content-Type': 'image/png', 'Content-Length': String(png.length), 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' },
      });
    } catch (error) {
      if (error instanceof ApiError) return textResponse(STATUS_BY_CODE[error.code], error.message);
      const message = error instanceof Error ? error.message : String(error);
      log(`chip:// ${request.url}: ${message}`);
      return textResponse(500, message);
    }
  };
}
