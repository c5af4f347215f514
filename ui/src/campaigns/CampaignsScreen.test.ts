import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { SegmentSummary } from '../lib/bindings/SegmentSummary';
import { lang } from '../lib/i18n';
import { route } from '../lib/router';
import { installMockBackend } from '../test/mockBackend';
import CampaignsScreen from './CampaignsScreen.svelte';
import { campaign, progress, segmentSummary } from './campaignFixture';

beforeEach(() => {
  lang.set('vi');
  route.set({ name: 'campaigns' });
});

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('CampaignsScreen', () => {
  it('says what to do when there are no segments and no campaigns', async () => {
    installMockBackend();
    render(CampaignsScreen);
    expect((await screen.findByTestId('segment-empty')).textContent).toContain(
      'Tạo nhóm đầu tiên: ví dụ khách “VIP” chưa liên hệ 30 ngày',
    );
    const empty = await screen.findByTestId('campaign-empty');
    expect(empty.textContent).toContain('Bạn cần một nhóm khách hàng và một mẫu tin nhắn');
    await fireEvent.click(screen.getByTestId('segment-new'));
    expect(get(route)).toEqual({ name: 'segment-new' });
  });

  it('lists segments with how many customers they hold, and acts on one', async () => {
    let segments: SegmentSummary[] = [segmentSummary];
    const mock = installMockBackend({
      listSegments: () => Promise.resolve(segments),
      deleteSegment: () => {
        segments = [];
        return Promise.resolve(null);
      },
    });
    render(CampaignsScreen);
    const row = await screen.findByTestId('segment-row');
    expect(row.textContent).toContain('VIP lâu chưa liên hệ');
    expect(within(row).getByTestId('segment-count').textContent).toBe('128');
    expect(row.textContent).toContain('2 điều kiện');

    await fireEvent.click(within(row).getByTestId('segment-customers'));
    expect(get(route)).toEqual({ name: 'customers', segmentId: 'sg1' });
    await fireEvent.click(within(row).getByTestId('segment-campaign'));
    expect(get(route)).toEqual({ name: 'campaign-new', segmentId: 'sg1' });

    await fireEvent.click(within(row).getByTestId('segment-delete'));
    expect(mock.callsTo('deleteSegment')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('segment-delete-confirm'));
    await waitFor(() => expect(mock.callsTo('deleteSegment')).toEqual([['sg1']]));
    await screen.findByTestId('segment-empty');
  });

  it('lists campaigns with their segment, status and latest numbers; a row opens the campaign', async () => {
    installMockBackend({
      listSegments: () => Promise.resolve([segmentSummary]),
      listCampaigns: () =>
        Promise.resolve([
          { campaign: { ...campaign, status: 'done' }, progress: { ...progress, queued: 0, pending: 0 } },
          { campaign: { ...campaign, id: 'c2', name: 'Sinh nhật tháng 7', repeat: 'monthly', month_day: 1, time_min: 480 }, progress: { ...progress, run: null } },
        ]),
    });
    render(CampaignsScreen);
    await waitFor(() => expect(screen.getAllByTestId('campaign-row')).toHaveLength(2));
    const [done, draft] = screen.getAllByTestId('campaign-row');
    expect(done.textContent).toContain('Tri ân khách VIP');
    expect(done.textContent).toContain('VIP lâu chưa liên hệ');
    expect(done.textContent).toContain('Đã xong');
    expect(done.textContent).toContain('Đã gửi 100/125 · Lỗi 2 · Bỏ qua 3 · Đang chờ 0');
    expect(draft.textContent).toContain('Hằng tháng vào ngày 1 lúc 08:00');
    expect(draft.textContent).toContain('Chưa chạy lần nào');

    await fireEvent.click(draft);
    expect(get(route)).toEqual({ name: 'campaign', id: 'c2' });
  });
});
