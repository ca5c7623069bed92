/** Windowing maths for virtualised grids and tables: which rows are on screen. */

export interface VirtualInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  columns: number;
  total: number;
  /** Extra rows rendered above and below the viewport. */
  overscan: number;
}

export interface VirtualWindow {
  /** Item indices [start, end) to render. */
  start: number;
  end: number;
  /** Space above the first rendered row, in px. */
  offsetTop: number;
  /** Height of the whole scrollable content, in px. */
  totalHeight: number;
  rows: number;
}

export function virtualWindow(input: VirtualInput): VirtualWindow {
  const columns = Math.max(1, Math.floor(input.columns));
  const rows = Math.ceil(Math.max(0, input.total) / columns);
  const totalHeight = rows * input.rowHeight;
  if (rows === 0 || input.rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight, rows };
  const firstVisible = Math.floor(Math.max(0, input.scrollTop) / input.rowHeight);
  const lastVisible = Math.ceil((Math.max(0, input.scrollTop) + Math.max(0, input.viewportHeight)) / input.rowHeight) - 1;
  const firstRow = Math.min(rows - 1, Math.max(0, firstVisible - input.overscan));
  const lastRow = Math.min(rows - 1, Math.max(firstRow, lastVisible + input.overscan));
  return {
    start: firstRow * columns,
    end: Math.min(input.total, (lastRow + 1) * columns),
    offsetTop: firstRow * input.rowHeight,
    totalHeight,
    rows,
  };
}

/** How many columns of `cellWidth` (plus `gap`) fit in `width`. At least 1. */
export function columnsFor(width: number, cellWidth: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (cellWidth + gap)));
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';

/** The index a key moves the selection to in a grid of `columns`; null when the key is not a move. */
export function gridMove(key: string, index: number, total: number, columns: number, pageRows: number): number | null {
  if (total <= 0) return null;
  const last = total - 1;
  const clamp = (i: number) => Math.min(last, Math.max(0, i));
  const from = index < 0 ? 0 : index;
  switch (key) {
    case 'ArrowLeft':
      return clamp(from - 1);
    case 'ArrowRight':
      return index < 0 ? 0 : clamp(from + 1);
    case 'ArrowUp':
      return clamp(from - columns);
    case 'ArrowDown':
      return index < 0 ? 0 : clamp(from + columns);
    case 'PageUp':
      return clamp(from - columns * Math.max(1, pageRows));
    case 'PageDown':
      return clamp(from + columns * Math.max(1, pageRows));
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/** scrollTop that brings row of `index` into view (unchanged when already visible). */
export function scrollToShow(index: number, columns: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const row = Math.floor(index / Math.max(1, columns));
  const top = row * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
