const HEX = /^#([0-9a-f]{6})$/i;
const FALLBACK = '#8a9a96';

/** The tag's colour if it is a valid `#rrggbb`, else a neutral grey. */
export function safeTagColor(color: string): string {
  return HEX.test(color) ? color : FALLBACK;
}

/** Black or white, whichever reads better on `background` (WCAG relative luminance). */
export function textColorOn(background: string): string {
  const m = HEX.exec(safeTagColor(background));
  const hex = m ? m[1] : FALLBACK.slice(1);
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  return luminance > 0.4 ? '#1e2a2d' : '#ffffff';
}
