import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { KIND_ICONS } from '../../interactions/kindIcons';
import Icon from './Icon.svelte';
import { ICON_NAMES } from './names';

describe('Icon', () => {
  it.each(ICON_NAMES)('draws %s as a hidden 16px stroke SVG', (name) => {
    const { container } = render(Icon, { name });
    const svg = container.querySelector('svg');
    expect(svg).not.toBeNull();
    expect(svg?.getAttribute('aria-hidden')).toBe('true');
    expect(svg?.getAttribute('width')).toBe('16');
    expect(svg?.getAttribute('height')).toBe('16');
    expect(svg?.getAttribute('stroke')).toBe('currentColor');
    expect(svg?.querySelectorAll('path, circle, rect').length).toBeGreaterThan(0);
  });

  it('takes a size for large decorative icons', () => {
    const { container } = render(Icon, { name: 'sun', size: 32 });
    expect(container.querySelector('svg')?.getAttribute('width')).toBe('32');
  });

  it('has an icon for every interaction kind', () => {
    for (const name of Object.values(KIND_ICONS)) expect(ICON_NAMES).toContain(name);
  });
});
