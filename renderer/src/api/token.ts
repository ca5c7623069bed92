/** Browser-mode access token: from the page URL the first time, then from sessionStorage. */

export const TOKEN_STORAGE_KEY = 'aura-kd.token';

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The token in `search` (e.g. '?token=abc') wins and is stored; otherwise the stored one; null when none. */
export function resolveToken(search: string, storage: TokenStorage | null): string | null {
  const fromUrl = new URLSearchParams(search).get('token');
  if (fromUrl) {
    storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    return fromUrl;
  }
  return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
}
