import { describe, expect, it } from 'vitest';
import { computeWindow, scrollToReveal } from './virtualWindow';

const base = { rowHeight: 50, overscan: 5, pageSize: 100, viewportHeight: 500 };

describe('computeWindow', () => {
  it('renders nothing for an empty list', () => {
    expect(computeWindow({ ...base, scrollTop: 0, total: 0 })).toEqual({ first: 0, last: -1, pages: [] });
  });

  it('covers the viewport plus overscan below at the top', () => {
    expect(computeWindow({ ...base, scrollTop: 0, total: 100_000 })).toEqual({
      first: 0,
      last: 14,
      pages: [0],
    });
  });

  it('adds overscan on both sides in the middle', () => {
    const w = computeWindow({ ...base, scrollTop: 1000 * 50, total: 100_000 });
    expect(w.first).toBe(995);
    expect(w.last).toBe(1014);
    expect(w.pages).toEqual([9, 10]);
  });

  it('handles a partly visible first row', () => {
    const w = computeWindow({ ...base, overscan: 0, scrollTop: 25, total: 1000 });
    expect(w.first).toBe(0);
    expect(w.last).toBe(10);
  });

  it('clamps at the end of the list', () => {
    const w = computeWindow({ ...base, scrollTop: 99_990 * 50, total: 100_000 });
    expect(w.last).toBe(99_999);
    expect(w.pages).toEqual([999]);
  });

  it('clamps a stale scrollTop beyond a list that shrank', () => {
    const w = computeWindow({ ...base, scrollTop: 10_000, total: 3 });
    expect(w).toEqual({ first: 2, last: 2, pages: [0] });
  });

  it('asks for a single page when the list is shorter than the viewport', () => {
    expect(computeWindow({ ...base, scrollTop: 0, total: 4 })).toEqual({ first: 0, last: 3, pages: [0] });
  });

  it('never asks for a page past the total', () => {
    const w = computeWindow({ ...base, scrollTop: 195 * 50, total: 205 });
    expect(Math.max(...w.pages)).toBe(2);
  });
});

describe('scrollToReveal', () => {
  it('keeps the scroll position when the row is visible', () => {
    expect(scrollToReveal(3, 0, 500, 50)).toBe(0);
  });

  it('scrolls up to a row above the viewport', () => {
    expect(scrollToReveal(2, 400, 500, 50)).toBe(100);
  });

  it('scrolls down just enough for a row below the viewport', () => {
    expect(scrollToReveal(10, 0, 500, 50)).toBe(50);
  });
});
