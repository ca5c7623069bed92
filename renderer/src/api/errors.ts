/** Turn anything thrown by a transport into one readable line. */

const ELECTRON_PREFIX = /^Error invoking remote method '[^']*':\s*/;
const ERROR_NAME_PREFIX = /^(?:[A-Z][A-Za-z]*Error):\s*/;

export class RendererApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorMessage(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.message;
  else if (typeof error === 'string') text = error;
  else if (error && typeof error === 'object' && 'message' in error && typeof (error as { message: unknown }).message === 'string')
    text = (error as { message: string }).message;
  else text = 'Something went wrong (no error message was given).';
  text = text.replace(ELECTRON_PREFIX, '');
  while (ERROR_NAME_PREFIX.test(text)) text = text.replace(ERROR_NAME_PREFIX, '');
  text = text.trim();
  return text.length > 0 ? text : 'Something went wrong (no error message was given).';
}
