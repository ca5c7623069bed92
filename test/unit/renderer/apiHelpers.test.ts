import { describe, expect, it } from 'vitest';
import { RendererApiError, errorMessage } from '../../../renderer/src/api/errors.js';
import { TOKEN_STORAGE_KEY, resolveToken } from '../../../renderer/src/api/token.js';
import { compactNumber, duration, percent } from '../../../renderer/src/lib/format.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = { ...initial };
  return { data, getItem: (k: string) => data[k] ?? null, setItem: (k: string, v: string) => void (data[k] = v) };
}

describe('token', () => {
  it('takes the URL token and stores it for reloads', () => {
    const storage = memoryStorage();
    expect(resolveToken('?token=abc&x=1', storage)).toBe('abc');
    expect(storage.data[TOKEN_STORAGE_KEY]).toBe('abc');
    expect(resolveToken('', storage)).toBe('abc');
    expect(resolveToken('', memoryStorage())).toBeNull();
    expect(resolveToken('?token=new', memoryStorage({ [TOKEN_STORAGE_KEY]: 'old' }))).toBe('new');
  });
});

describe('errorMessage', () => {
  it('strips Electron IPC and error-name prefixes', () => {
    expect(errorMessage(new Error("Error invoking remote method 'aura:call': ApiError: runs.get: run 9 not found"))).toBe('runs.get: run 9 not found');
    expect(errorMessage(new RendererApiError('invalid', 'datasets.import: root: Too small'))).toBe('datasets.import: root: Too small');
    expect(errorMessage({ message: 'plain object' })).toBe('plain object');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage(42)).toBe('Something went wrong (no error message was given).');
  });
});

describe('format', () => {
  it('formats percentages, durations and compact numbers', () => {
    expect(percent(0.98765)).toBe('98.8 %');
    expect(percent(null)).toBe('—');
    expect(duration(75)).toBe('1 min 15 s');
    expect(duration(3725)).toBe('1 h 2 min');
    expect(duration(null)).toBe('—');
    expect(compactNumber(1e-4)).toBe('1e-4');
    expect(compactNumber(0.01)).toBe('0.01');
    expect(compactNumber(2.5e-5)).toBe('2.5e-5');
    expect(compactNumber(15)).toBe('15');
  });
});
