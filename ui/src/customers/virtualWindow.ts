export type WindowInput = {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  total: number;
  overscan: number;
  pageSize: number;
};

export type WindowRange = {
  /** First row index to render (inclusive). */
  first: number;
  /** Last row index to render (inclusive); -1 when there is nothing to render. */
  last: number;
  /** Page numbers (offset = page * pageSize) needed to fill first..last. */
  pages: number[];
};

/** Which rows of a fixed-height list are on screen, plus `overscan` rows either side. */
export function computeWindow(input: WindowInput): WindowRange {
  const { scrollTop, viewportHeight, rowHeight, total, overscan, pageSize } = input;
  if (total <= 0 || rowHeight <= 0 || pageSize <= 0) return { first: 0, last: -1, pages: [] };

  const top = Math.max(0, scrollTop);
  const visibleFirst = Math.floor(top / rowHeight);
  const visibleLast = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) - 1;

  const first = Math.min(total - 1, Math.max(0, visibleFirst - overscan));
  const last = Math.min(total - 1, Math.max(first, visibleLast + overscan));

  const pages: number[] = [];
  for (let page = Math.floor(first / pageSize); page <= Math.floor(last / pageSize); page++) {
    pages.push(page);
  }
  return { first, last, pages };
}

/** The scrollTop that brings row `index` fully into view, or the current one if it already is. */
export function scrollToReveal(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return rowBottom - viewportHeight;
  return scrollTop;
}
