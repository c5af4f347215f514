import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Interaction } from '../lib/bindings/Interaction';
import { lang } from '../lib/i18n';
import TimelineItem from './TimelineItem.svelte';

function interaction(content: string): Interaction {
  return {
    id: 'i1',
    customer_id: 'c1',
    kind: 'email',
    direction: 'inbound',
    subject: null,
    content,
    outcome: null,
    duration_minutes: null,
    occurred_at: 0,
    next_action: null,
    next_action_date: null,
    task_id: null,
    created_at: 0,
    updated_at: 0,
    campaign_id: null,
    campaign_name: null,
    asks_to_stop: false,
  };
}

const props = (content: string) => ({ interaction: interaction(content), onEdit: () => {}, onDelete: () => {} });

describe('TimelineItem', () => {
  it('shows a short entry whole, with nothing to unfold', () => {
    lang.set('vi');
    render(TimelineItem, props('Khách đồng ý hẹn gặp thứ Sáu'));
    expect(screen.getByTestId('timeline-item-content').textContent).toBe('Khách đồng ý hẹn gặp thứ Sáu');
    expect(screen.queryByTestId('timeline-item-more')).toBeNull();
  });

  it('folds a long entry to its start and unfolds it on request', async () => {
    lang.set('vi');
    const email = Array.from({ length: 30 }, (_, i) => `Dòng ${i + 1} của email khách gửi`).join('\n');
    render(TimelineItem, props(email));
    const content = screen.getByTestId('timeline-item-content');
    expect(content.textContent).toContain('Dòng 1 của email');
    expect(content.textContent).not.toContain('Dòng 30');
    expect(content.textContent?.endsWith('…')).toBe(true);

    const more = screen.getByTestId('timeline-item-more');
    expect(more.textContent).toBe('Xem thêm');
    expect(more.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(more);
    expect(content.textContent).toBe(email);
    expect(more.textContent).toBe('Thu gọn');
    expect(more.getAttribute('aria-expanded')).toBe('true');

    await fireEvent.click(more);
    expect(content.textContent).not.toContain('Dòng 30');
    lang.set('en');
    await waitFor(() => expect(screen.getByTestId('timeline-item-more').textContent).toBe('Show more'));
  });

  it('folds one long paragraph too, and shows markup in it as text', async () => {
    lang.set('en');
    const text = '<b>Báo giá</b> '.repeat(60);
    render(TimelineItem, props(text));
    const content = screen.getByTestId('timeline-item-content');
    expect(content.querySelector('b')).toBeNull();
    expect(content.textContent!.length).toBeLessThan(text.length);
    await fireEvent.click(screen.getByTestId('timeline-item-more'));
    expect(content.textContent).toBe(text);
    expect(screen.getByTestId('timeline-item-more').textContent).toBe('Show less');
  });
});
