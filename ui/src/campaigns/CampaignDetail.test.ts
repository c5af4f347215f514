import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend, type Backend } from '../lib/backend';
import type { Campaign } from '../lib/bindings/Campaign';
import type { CampaignProgress } from '../lib/bindings/CampaignProgress';
import type { RecipientRow } from '../lib/bindings/RecipientRow';
import { lang } from '../lib/i18n';
import { goBack, navigate, route } from '../lib/router';
import { emptyCampaignProgress, installMockBackend } from '../test/mockBackend';
import CampaignDetail from './CampaignDetail.svelte';
import { campaign, preview, progress, report, run } from './campaignFixture';

const noRuns = { ...report, progress: emptyCampaignProgress, by_channel: [], skipped_by_reason: [], runs: [] };

function setup(overrides: Partial<Backend> = {}, stored: Campaign = campaign) {
  return installMockBackend({
    getCampaign: () => Promise.resolve(stored),
    campaignPreview: () => Promise.resolve(preview),
    campaignReport: () => Promise.resolve(noRuns),
    ...overrides,
  });
}

const text = (testId: string) => (screen.getByTestId(testId).textContent ?? '').replace(/\s+/g, ' ');

beforeEach(() => {
  lang.set('vi');
  route.set({ name: 'campaign', id: 'c1' });
});

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('CampaignDetail preview', () => {
  it('shows a draft’s recipients by channel and each reason for skipping', async () => {
    const mock = setup({
      campaignPreviewRows: (_id, query) =>
        Promise.resolve({
          items: [
            query.offset === 0
              ? { customer_id: 'cu1', full_name: 'Trần Thị Mai', channel: null, skip_reason: 'no_channel', detail: null }
              : { customer_id: 'cu2', full_name: 'Hồ Văn Nam', channel: null, skip_reason: 'no_channel', detail: null },
          ],
          total: 2,
        }),
    });
    render(CampaignDetail, { id: 'c1' });
    await screen.findByTestId('campaign-preview-total');
    const block = text('campaign-preview');
    expect(block).toContain('Khách trong nhóm: 125');
    expect(block).toContain('Tend tự gửi: 120');
    expect(block).toContain('Telegram (bot): 120');
    expect(block).toContain('Bạn tự gửi (ở mục Hôm nay): 2');
    expect(block).toContain('Zalo cá nhân (bạn tự gửi): 2');
    expect(block).toContain('Bỏ qua: 3');
    expect(block).toContain('Không liên lạc được qua kênh nào đã chọn: 2');
    expect(block).toContain('Thiếu thông tin mà mẫu tin cần: 1');

    const reason = screen.getAllByTestId('campaign-preview-reason').find((b) => b.dataset.reason === 'no_channel')!;
    await fireEvent.click(reason);
    await waitFor(() =>
      expect(mock.callsTo('campaignPreviewRows')).toEqual([
        ['c1', { channel: null, skip_reason: 'no_channel', skipped: false, offset: 0, limit: 50 }],
      ]),
    );
    expect((await screen.findByTestId('campaign-preview-row')).textContent).toContain('Trần Thị Mai');
    // Two of them, one shown: the next page is asked from where the list ends.
    await fireEvent.click(screen.getByTestId('campaign-preview-more'));
    await waitFor(() => expect(screen.getAllByTestId('campaign-preview-row')).toHaveLength(2));
    expect(mock.callsTo('campaignPreviewRows')[1][1]).toMatchObject({ offset: 1, limit: 50 });
    expect(screen.queryByTestId('campaign-preview-more')).toBeNull();
  });

  it('is asked for on a done campaign, which can run again', async () => {
    const mock = setup({ campaignReport: () => Promise.resolve(report) }, { ...campaign, status: 'done' });
    render(CampaignDetail, { id: 'c1' });
    expect((await screen.findByTestId('campaign-start')).textContent).toContain('Chạy lại');
    expect(mock.callsTo('campaignPreview')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('campaign-preview-load'));
    await screen.findByTestId('campaign-preview-total');
    expect(mock.callsTo('campaignPreview')).toHaveLength(1);
  });
});

describe('CampaignDetail start', () => {
  it('asks once with the counts, then starts', async () => {
    let stored: Campaign = campaign;
    const mock = setup({
      getCampaign: () => Promise.resolve(stored),
      startCampaign: () => {
        stored = { ...campaign, status: 'scheduled' };
        return Promise.resolve(stored);
      },
    });
    render(CampaignDetail, { id: 'c1' });
    await fireEvent.click(await screen.findByTestId('campaign-start'));
    expect((await screen.findByTestId('campaign-start-question')).textContent).toContain(
      'Gửi 120 tin qua Telegram (bot), 2 tin qua Zalo cá nhân để bạn tự gửi, bỏ qua 3. Bắt đầu?',
    );
    expect(mock.callsTo('startCampaign')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('campaign-start-confirm'));
    await waitFor(() => expect(mock.callsTo('startCampaign')).toEqual([['c1']]));
    await waitFor(() => expect(screen.getByTestId('campaign-status-badge').dataset.status).toBe('scheduled'));
  });

  it('asks a second time when the send is large', async () => {
    const large = { ...preview, sending: 600, assisted: 0, by_channel: [{ channel: 'telegram' as const, count: 600 }], large: true };
    const mock = setup({
      campaignPreview: () => Promise.resolve(large),
      startCampaign: () => Promise.resolve({ ...campaign, status: 'scheduled' }),
    });
    render(CampaignDetail, { id: 'c1' });
    await fireEvent.click(await screen.findByTestId('campaign-start'));
    // Each question takes the focus to its Cancel, never back to the page.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('campaign-start-cancel')));
    await fireEvent.click(await screen.findByTestId('campaign-start-confirm'));
    expect((await screen.findByTestId('campaign-start-question')).textContent).toContain(
      'Lớn hơn 500 người nhận — bạn chắc chứ?',
    );
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('campaign-start-cancel')));
    // The second click of a double-click that got through the first question starts nothing.
    await fireEvent.click(screen.getByTestId('campaign-start-confirm-large'), { detail: 2 });
    expect(mock.callsTo('startCampaign')).toHaveLength(0);
    expect(screen.getByTestId('campaign-start-confirm-large')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('campaign-start-confirm-large'), { detail: 1 });
    await waitFor(() => expect(mock.callsTo('startCampaign')).toEqual([['c1']]));
  });

  it('gives the focus back to Start when a question is cancelled', async () => {
    const mock = setup();
    render(CampaignDetail, { id: 'c1' });
    await fireEvent.click(await screen.findByTestId('campaign-start'));
    await fireEvent.click(await screen.findByTestId('campaign-start-cancel'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('campaign-start')));
    expect(mock.callsTo('startCampaign')).toHaveLength(0);
  });

  it('says why a start was refused', async () => {
    const mock = setup();
    mock.fail('startCampaign', {
      code: 'invalid_input',
      key: 'send.my_details_missing',
      params: { missing: '{{me.name}}' },
      message: 'x',
      field: 'settings',
    });
    render(CampaignDetail, { id: 'c1' });
    await fireEvent.click(await screen.findByTestId('campaign-start'));
    await fireEvent.click(await screen.findByTestId('campaign-start-confirm'));
    expect((await screen.findByTestId('campaign-start-error')).textContent).toContain('{{me.name}}');
  });
});

describe('CampaignDetail progress', () => {
  it('holds the latest run’s numbers in the status and follows them while it sends', async () => {
    let live: CampaignProgress = progress;
    let stored: Campaign = { ...campaign, status: 'running' };
    setup({
      getCampaign: () => Promise.resolve(stored),
      campaignProgress: () => Promise.resolve(live),
      campaignReport: () => Promise.resolve(report),
    });
    render(CampaignDetail, { id: 'c1' });
    const status = await screen.findByTestId('campaign-status');
    await waitFor(() => expect(status.dataset.sent).toBe('100'));
    expect(status.dataset.failed).toBe('2');
    expect(status.dataset.skipped).toBe('3');
    // Queued in the outbox and not yet handed to it.
    expect(status.dataset.queued).toBe('17');
    const words = (status.textContent ?? '').replace(/\s+/g, ' ');
    expect(words).toContain('100 / 125 đã gửi');
    expect(words).toContain('2 chờ bạn tự gửi');
    expect(words).toContain('1 cần bạn xử lý');
    expect(words).toContain('12 trả lời trong 7 ngày');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('86');
    // Running: no preview, pause and cancel offered.
    expect(screen.queryByTestId('campaign-preview')).toBeNull();
    expect(screen.getByTestId('campaign-pause')).toBeTruthy();

    live = { ...progress, queued: 0, pending: 0, sent: 117 };
    stored = { ...campaign, status: 'done' };
    await waitFor(() => expect(status.dataset.sent).toBe('117'), { timeout: 3000 });
    expect(status.dataset.queued).toBe('0');
    await waitFor(() => expect(screen.getByTestId('campaign-status-badge').dataset.status).toBe('done'));
  });

  it('pauses and cancels after asking', async () => {
    const mock = setup(
      {
        pauseCampaign: () => Promise.resolve({ ...campaign, status: 'paused' }),
        cancelCampaign: () => Promise.resolve({ ...campaign, status: 'cancelled' }),
        campaignProgress: () => Promise.resolve(progress),
      },
      { ...campaign, status: 'scheduled' },
    );
    render(CampaignDetail, { id: 'c1' });
    await fireEvent.click(await screen.findByTestId('campaign-pause'));
    await waitFor(() => expect(mock.callsTo('pauseCampaign')).toEqual([['c1']]));
    await fireEvent.click(screen.getByTestId('campaign-cancel'));
    expect(mock.callsTo('cancelCampaign')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('campaign-cancel-confirm'));
    await waitFor(() => expect(mock.callsTo('cancelCampaign')).toEqual([['c1']]));
  });
});

describe('CampaignDetail while messages still go out', () => {
  const quiet: CampaignProgress = { ...progress, queued: 0, pending: 0 };
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('offers pause and cancel on a done campaign whose messages are still queued, and follows it', async () => {
    const mock = setup(
      {
        campaignProgress: () => Promise.resolve(progress),
        campaignReport: () => Promise.resolve(report),
        pauseCampaign: () => Promise.resolve({ ...campaign, status: 'paused' }),
      },
      { ...campaign, status: 'done' },
    );
    render(CampaignDetail, { id: 'c1' });
    const pause = await screen.findByTestId('campaign-pause');
    expect(screen.getByTestId('campaign-cancel')).toBeTruthy();
    await fireEvent.click(pause);
    await waitFor(() => expect(mock.callsTo('pauseCampaign')).toEqual([['c1']]));
  });

  it('asks again while a done campaign’s messages are queued', async () => {
    const mock = setup(
      { campaignProgress: () => Promise.resolve(progress), campaignReport: () => Promise.resolve(report) },
      { ...campaign, status: 'done' },
    );
    render(CampaignDetail, { id: 'c1' });
    await screen.findByTestId('campaign-status');
    await waitFor(() => expect(mock.callsTo('getCampaign').length).toBeGreaterThan(1), { timeout: 2500 });
  });

  it('offers neither on a done campaign with nothing left to send, and does not ask again', async () => {
    const mock = setup(
      { campaignProgress: () => Promise.resolve(quiet), campaignReport: () => Promise.resolve(report) },
      { ...campaign, status: 'done' },
    );
    render(CampaignDetail, { id: 'c1' });
    await screen.findByTestId('campaign-status');
    expect(screen.queryByTestId('campaign-pause')).toBeNull();
    expect(screen.queryByTestId('campaign-cancel')).toBeNull();
    await wait(1300);
    expect(mock.callsTo('getCampaign')).toHaveLength(1);
  });

  it('does not ask again while a recurring campaign waits for its next run, nor while paused', async () => {
    let stored: Campaign = { ...campaign, status: 'scheduled', repeat: 'daily', time_min: 540, next_run_at: Date.now() + 3_600_000 };
    let live: CampaignProgress = quiet;
    const mock = setup({
      getCampaign: () => Promise.resolve(stored),
      campaignProgress: () => Promise.resolve(live),
      campaignReport: () => Promise.resolve(report),
    });
    const { unmount } = render(CampaignDetail, { id: 'c1' });
    await screen.findByTestId('campaign-status');
    await wait(1300);
    expect(mock.callsTo('getCampaign')).toHaveLength(1);
    unmount();

    // Paused: its queued messages are held, nothing moves.
    stored = { ...campaign, status: 'paused' };
    live = progress;
    render(CampaignDetail, { id: 'c1' });
    await screen.findByTestId('campaign-status');
    await wait(1300);
    expect(mock.callsTo('getCampaign')).toHaveLength(2);
  });

  it('says why Tend paused it in the app’s words, not the backend’s', async () => {
    setup(
      {},
      {
        ...campaign,
        status: 'paused',
        last_error: { code: 'not_found', key: 'not_found.template', params: {}, message: 'template t-tg not found', field: null },
      },
    );
    render(CampaignDetail, { id: 'c1' });
    const reason = await screen.findByTestId('campaign-last-error');
    expect(reason.textContent).toBe('Mẫu tin nhắn này không còn tồn tại');
  });

  it('replaces a deleted campaign in history, so back does not open it again', async () => {
    route.set({ name: 'today' });
    navigate({ name: 'campaign', id: 'c1' });
    const mock = setup({ deleteCampaign: () => Promise.resolve(null) });
    render(CampaignDetail, { id: 'c1' });
    await fireEvent.click(await screen.findByTestId('campaign-delete'));
    await fireEvent.click(screen.getByTestId('campaign-delete-confirm'));
    await waitFor(() => expect(mock.callsTo('deleteCampaign')).toEqual([['c1']]));
    await waitFor(() => expect(get(route)).toEqual({ name: 'campaigns' }));
    goBack();
    expect(get(route)).toEqual({ name: 'today' });
  });
});

describe('CampaignDetail report', () => {
  const recipients: RecipientRow[] = [
    {
      customer_id: 'cu1',
      full_name: 'Nguyễn Văn An',
      channel: 'telegram',
      outcome: 'sent',
      skip_reason: null,
      detail: null,
      outbox_id: 'o1',
      last_error: null,
      sent_at: new Date(2025, 5, 2, 9, 5).getTime(),
      replied: true,
    },
    {
      customer_id: 'cu2',
      full_name: 'Lê Thị Bình',
      channel: null,
      outcome: 'skipped',
      skip_reason: 'missing_value',
      detail: '{{customer.company}}',
      outbox_id: null,
      last_error: null,
      sent_at: null,
      replied: false,
    },
    {
      customer_id: 'cu3',
      full_name: '<b>Phạm</b> Cường',
      channel: 'telegram',
      outcome: 'failed',
      skip_reason: null,
      detail: null,
      outbox_id: 'o3',
      last_error: 'Forbidden: bot was blocked by the user',
      sent_at: null,
      replied: false,
    },
  ];

  it('lists the recipients with their outcome, filters them, and opens a customer', async () => {
    const mock = setup(
      {
        campaignReport: () => Promise.resolve(report),
        campaignProgress: () => Promise.resolve({ ...progress, queued: 0, pending: 0 }),
        campaignRecipients: (_id, query) =>
          Promise.resolve(
            query.outcome
              ? { items: recipients.filter((r) => r.outcome === query.outcome), total: 1 }
              : { items: recipients, total: 3 },
          ),
      },
      { ...campaign, status: 'done' },
    );
    render(CampaignDetail, { id: 'c1' });
    await waitFor(() => expect(screen.getAllByTestId('campaign-recipient-row')).toHaveLength(3));
    const rows = screen.getAllByTestId('campaign-recipient-row');
    expect(rows[0].textContent).toContain('Nguyễn Văn An');
    expect(rows[0].textContent).toContain('Đã gửi');
    expect(rows[0].textContent).toContain('02/06/2025 09:05');
    expect(rows[0].textContent).toContain('đã trả lời');
    expect(rows[1].textContent).toContain('Thiếu thông tin mà mẫu tin cần: {{customer.company}}');
    // A customer's name is text, never markup.
    expect(within(rows[2]).getByTestId('campaign-recipient-name').textContent).toBe('<b>Phạm</b> Cường');
    expect(within(rows[2]).getByTestId('campaign-recipient-error').textContent).toContain('bot was blocked');

    expect(text('campaign-report-replied')).toContain('12 trên 100 khách đã nhận tin trả lời trong vòng 7 ngày');
    const channelRow = screen.getByTestId('campaign-report-channel');
    expect(channelRow.textContent).toContain('Telegram (bot)');
    expect(channelRow.textContent).toContain('100');
    expect(screen.getByTestId('campaign-report-skip').textContent).toContain('Không liên lạc được qua kênh nào đã chọn: 3');

    await fireEvent.change(screen.getByTestId('campaign-recipients-outcome'), { target: { value: 'failed' } });
    await waitFor(() => expect(screen.getAllByTestId('campaign-recipient-row')).toHaveLength(1));
    const calls = mock.callsTo('campaignRecipients');
    expect(calls[calls.length - 1]).toEqual(['c1', { run_id: null, outcome: 'failed', offset: 0, limit: 50 }]);

    await fireEvent.click(screen.getByTestId('campaign-recipient-name'));
    expect(get(route)).toEqual({ name: 'customer', id: 'cu3' });
  });

  it('names a channel in a skip’s detail, and folds away the backend’s English', async () => {
    const row = (id: string, skip_reason: RecipientRow['skip_reason'], detail: string): RecipientRow => ({
      ...recipients[1],
      customer_id: id,
      full_name: id,
      skip_reason,
      detail,
    });
    setup(
      {
        campaignReport: () => Promise.resolve(report),
        campaignProgress: () => Promise.resolve({ ...progress, queued: 0, pending: 0 }),
        campaignRecipients: () =>
          Promise.resolve({
            items: [
              row('a', 'consent_withdrawn', 'zalo_auto'),
              row('b', 'too_long', '1234 characters, at most 1000'),
              row('c', 'missing_value', 'empty message'),
            ],
            total: 3,
          }),
      },
      { ...campaign, status: 'done' },
    );
    render(CampaignDetail, { id: 'c1' });
    await waitFor(() => expect(screen.getAllByTestId('campaign-recipient-row')).toHaveLength(3));
    const [consent, long, empty] = screen.getAllByTestId('campaign-recipient-row');
    expect(consent.textContent).toContain('Đã rút lại đồng ý nhận tin: Zalo (tự động)');
    expect(consent.textContent).not.toContain('zalo_auto');
    for (const [shown, english] of [
      [long, '1234 characters, at most 1000'],
      [empty, 'empty message'],
    ] as const) {
      const folded = within(shown).getByTestId('campaign-skip-detail');
      expect(folded.tagName).toBe('DETAILS');
      expect(folded.querySelector('summary')?.textContent).toBe('Chi tiết kỹ thuật');
      expect(folded.textContent).toContain(english);
    }
  });

  it('shows an earlier run when it is picked', async () => {
    const earlier = { ...run, id: 'run0', run_key: '2025-06-01', started_at: new Date(2025, 5, 1, 9, 0).getTime() };
    const mock = setup(
      {
        campaignReport: (_id, runId) =>
          Promise.resolve({
            ...report,
            progress: { ...progress, run: runId === 'run0' ? earlier : run, queued: 0, pending: 0 },
            runs: [run, earlier],
          }),
        campaignProgress: () => Promise.resolve({ ...progress, queued: 0, pending: 0 }),
      },
      { ...campaign, status: 'scheduled', repeat: 'daily', time_min: 540 },
    );
    render(CampaignDetail, { id: 'c1' });
    await waitFor(() => expect(screen.getAllByTestId('campaign-run')).toHaveLength(2));
    const runs = screen.getAllByTestId('campaign-run');
    expect(runs[1].textContent).toContain('01/06/2025');
    await fireEvent.click(runs[1]);
    await waitFor(() => expect(mock.callsTo('campaignReport').some(([, runId]) => runId === 'run0')).toBe(true));
    await waitFor(() =>
      expect(mock.callsTo('campaignRecipients').some(([, q]) => q.run_id === 'run0')).toBe(true),
    );
    await waitFor(() => expect(screen.getAllByTestId('campaign-run')[1].getAttribute('aria-pressed')).toBe('true'));
  });
});
