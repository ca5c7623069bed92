import { describe, expect, it } from 'vitest';
import { columnsFor, gridMove, scrollToShow, virtualWindow } from '../../../renderer/src/lib/virtual.js';

describe('virtualWindow', () => {
  it('renders only the visible rows plus overscan', () => {
    // 1000 items, 5 per row → 200 rows of 100 px; viewport rows 10..13 visible
    const w = virtualWindow({ scrollTop: 1000, viewportHeight: 350, rowHeight: 100, columns: 5, total: 1000, overscan: 2 });
    expect(w).toEqual({ start: 40, end: 80, offsetTop: 800, totalHeight: 20000, rows: 200 });
  });

  it('clamps at the start and at a partial last row', () => {
    expect(virtualWindow({ scrollTop: 0, viewportHeight: 250, rowHeight: 100, columns: 4, total: 10, overscan: 1 })).toEqual({
      start: 0,
      end: 10,
      offsetTop: 0,
      totalHeight: 300,
      rows: 3,
    });
    expect(virtualWindow({ scrollTop: 5000, viewportHeight: 250, rowHeight: 100, columns: 4, total: 10, overscan: 0 })).toEqual({
      start: 8,
      end: 10,
      offsetTop: 200,
      totalHeight: 300,
      rows: 3,
    });
  });

  it('is empty for no items', () => {
    expect(virtualWindow({ scrollTop: 0, viewportHeight: 500, rowHeight: 50, columns: 3, total: 0, overscan: 3 })).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0, rows: 0 });
  });
});

describe('grid helpers', () => {
  it('fits columns including gaps', () => {
    expect(columnsFor(1000, 120, 8)).toBe(7); // 7·128 = 896 ≤ 1008, 8·128 = 1024 > 1008
    expect(columnsFor(50, 120, 8)).toBe(1);
  });

  it('moves the selection with arrow, page, home and end keys', () => {
    expect(gridMove('ArrowRight', 3, 10, 4, 2)).toBe(4);
    expect(gridMove('ArrowLeft', 0, 10, 4, 2)).toBe(0);
    expect(gridMove('ArrowDown', 7, 10, 4, 2)).toBe(9);
    expect(gridMove('ArrowUp', 5, 10, 4, 2)).toBe(1);
    expect(gridMove('PageDown', 0, 100, 4, 3)).toBe(12);
    expect(gridMove('PageUp', 5, 100, 4, 3)).toBe(0);
    expect(gridMove('Home', 50, 100, 4, 3)).toBe(0);
    expect(gridMove('End', 1, 100, 4, 3)).toBe(99);
    expect(gridMove('ArrowDown', -1, 10, 4, 2)).toBe(0);
    expect(gridMove('Enter', 3, 10, 4, 2)).toBeNull();
    expect(gridMove('ArrowRight', 0, 0, 4, 2)).toBeNull();
  });

  it('scrolls just enough to show a row', () => {
    expect(scrollToShow(0, 4, 100, 300, 250)).toBe(0);
    expect(scrollToShow(20, 4, 100, 0, 250)).toBe(350); // row 5 bottom 600 − 250
    expect(scrollToShow(13, 4, 100, 250, 250)).toBe(250); // row 3 (300..400) visible in 250..500
  });
});
