import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { CampaignInput } from '../lib/bindings/CampaignInput';
import { lang } from '../lib/i18n';
import { goBack, navigate, route } from '../lib/router';
import { installMockBackend } from '../test/mockBackend';
import CampaignForm from './CampaignForm.svelte';
import { campaign, segmentSummary, templates } from './campaignFixture';

const select = (el: HTMLElement) => el as HTMLSelectElement;
const optionValues = (el: HTMLElement) => [...select(el).options].map((o) => o.value);

function backendWithData() {
  return installMockBackend({
    listSegments: () => Promise.resolve([segmentSummary, { ...segmentSummary, segment: { ...segmentSummary.segment, id: 'sg2', name: 'Khách sỉ' } }]),
    listTemplates: () => Promise.resolve(templates),
    saveCampaign: (_id, input: CampaignInput) => Promise.resolve({ ...campaign, ...input, id: 'c9' }),
  });
}

beforeEach(() => {
  lang.set('vi');
  route.set({ name: 'campaign-new' });
});

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('CampaignForm', () => {
  it('saves the channels in their order of preference and a weekly schedule', async () => {
    route.set({ name: 'campaigns' });
    navigate({ name: 'campaign-new' });
    const mock = backendWithData();
    render(CampaignForm, { segmentId: 'sg1' });

    await waitFor(() => expect(optionValues(screen.getByTestId('campaign-form-segment'))).toEqual(['', 'sg1', 'sg2']));
    expect(select(screen.getByTestId('campaign-form-segment')).value).toBe('sg1');
    await fireEvent.input(screen.getByTestId('campaign-form-name'), { target: { value: 'Tri ân khách VIP' } });

    // A new form starts with one Telegram row, offering only the templates that fit Telegram.
    expect(screen.getAllByTestId('campaign-channel-row')).toHaveLength(1);
    expect(select(screen.getByTestId('campaign-form-channel')).value).toBe('telegram');
    await waitFor(() => expect(optionValues(screen.getByTestId('campaign-form-template'))).toEqual(['', 't-tg', 't-any']));
    await fireEvent.change(screen.getByTestId('campaign-form-template'), { target: { value: 't-tg' } });

    await fireEvent.click(screen.getByTestId('campaign-channel-add'));
    await fireEvent.change(screen.getByTestId('campaign-form-channel-2'), { target: { value: 'email' } });
    expect(optionValues(screen.getByTestId('campaign-form-template-2'))).toEqual(['', 't-email', 't-any']);
    await fireEvent.change(screen.getByTestId('campaign-form-template-2'), { target: { value: 't-email' } });
    // Email first, then Telegram.
    await fireEvent.click(screen.getAllByTestId('campaign-channel-down')[0]);
    expect(select(screen.getByTestId('campaign-form-channel')).value).toBe('email');
    expect(select(screen.getByTestId('campaign-form-template')).value).toBe('t-email');

    await fireEvent.change(screen.getByTestId('campaign-form-repeat'), { target: { value: 'weekly' } });
    const days = screen.getAllByTestId('campaign-form-weekday') as HTMLInputElement[];
    expect(days.map((d) => d.checked)).toEqual([true, true, true, true, true, false, false]);
    for (const i of [1, 3, 4]) await fireEvent.click(days[i]);
    await fireEvent.input(screen.getByTestId('campaign-form-time'), { target: { value: '08:30' } });
    await fireEvent.click(screen.getByTestId('campaign-form-window'));
    await fireEvent.input(screen.getByTestId('campaign-form-window-end'), { target: { value: '21:00' } });
    await fireEvent.click(screen.getByTestId('campaign-form-require-consent'));
    expect(screen.getByTestId('campaign-form-schedule-summary').textContent).toBe(
      'Hằng tuần vào T2, T4 lúc 08:30 (chỉ gửi trong 08:00–21:00)',
    );

    await fireEvent.click(screen.getByTestId('campaign-form-save'));
    await waitFor(() =>
      expect(mock.callsTo('saveCampaign')).toEqual([
        [
          null,
          {
            name: 'Tri ân khách VIP',
            segment_id: 'sg1',
            channels: [
              { channel: 'email', template_id: 't-email' },
              { channel: 'telegram', template_id: 't-tg' },
            ],
            repeat: 'weekly',
            start_at: null,
            time_min: 8 * 60 + 30,
            weekdays: 1 | 4,
            month_day: null,
            window_start_min: 8 * 60,
            window_end_min: 21 * 60,
            require_consent: true,
          },
        ],
      ]),
    );
    await waitFor(() => expect(get(route)).toEqual({ name: 'campaign', id: 'c9' }));
    // The campaign replaced the form in history: back goes where the form was opened from.
    goBack();
    expect(get(route)).toEqual({ name: 'campaigns' });
  });

  it('sends once at a chosen time', async () => {
    const mock = backendWithData();
    render(CampaignForm);
    await fireEvent.input(screen.getByTestId('campaign-form-name'), { target: { value: 'Khai trương' } });
    await waitFor(() => expect(optionValues(screen.getByTestId('campaign-form-segment'))).toContain('sg2'));
    await fireEvent.change(screen.getByTestId('campaign-form-segment'), { target: { value: 'sg2' } });
    await waitFor(() => expect(optionValues(screen.getByTestId('campaign-form-template'))).toContain('t-any'));
    await fireEvent.change(screen.getByTestId('campaign-form-template'), { target: { value: 't-any' } });
    await fireEvent.click(screen.getByTestId('campaign-form-once-at'));
    await fireEvent.input(screen.getByTestId('campaign-form-start-at'), { target: { value: '2025-07-02T14:05' } });
    expect(screen.getByTestId('campaign-form-schedule-summary').textContent).toBe('Gửi một lần lúc 02/07/2025 14:05');
    await fireEvent.click(screen.getByTestId('campaign-form-save'));
    await waitFor(() => expect(mock.callsTo('saveCampaign')).toHaveLength(1));
    expect(mock.callsTo('saveCampaign')[0][1]).toMatchObject({
      segment_id: 'sg2',
      channels: [{ channel: 'telegram', template_id: 't-any' }],
      repeat: 'once',
      start_at: new Date(2025, 6, 2, 14, 5).getTime(),
      time_min: null,
      weekdays: null,
    });
  });

  it('asks for a template before saving, and shows the backend refusal beside its part', async () => {
    const mock = backendWithData();
    render(CampaignForm, { segmentId: 'sg1' });
    await waitFor(() => expect(optionValues(screen.getByTestId('campaign-form-template'))).toContain('t-tg'));
    await fireEvent.click(screen.getByTestId('campaign-form-save'));
    expect((await screen.findByTestId('field-error')).textContent).toBe('Chọn mẫu tin cho mỗi kênh');
    expect(mock.callsTo('saveCampaign')).toHaveLength(0);

    await fireEvent.change(screen.getByTestId('campaign-form-template'), { target: { value: 't-tg' } });
    await waitFor(() => expect(screen.queryByTestId('field-error')).toBeNull());
    mock.fail('saveCampaign', { code: 'invalid_input', key: 'campaign.name_missing', params: {}, message: 'x', field: 'name' });
    await fireEvent.click(screen.getByTestId('campaign-form-save'));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe('Đặt tên cho chiến dịch');
    // Beside the name field.
    expect(screen.getByTestId('campaign-form-name').parentElement?.contains(error)).toBe(true);
    expect(get(route)).toEqual({ name: 'campaign-new' });
  });

  it('opens an existing campaign with its values', async () => {
    installMockBackend({
      getCampaign: () =>
        Promise.resolve({ ...campaign, repeat: 'monthly', month_day: 15, time_min: 600, require_consent: true }),
      listSegments: () => Promise.resolve([segmentSummary]),
      listTemplates: () => Promise.resolve(templates),
    });
    render(CampaignForm, { editId: 'c1' });
    expect(((await screen.findByTestId('campaign-form-name')) as HTMLInputElement).value).toBe('Tri ân khách VIP');
    expect(select(screen.getByTestId('campaign-form-repeat')).value).toBe('monthly');
    expect((screen.getByTestId('campaign-form-month-day') as HTMLInputElement).value).toBe('15');
    expect((screen.getByTestId('campaign-form-time') as HTMLInputElement).value).toBe('10:00');
    expect((screen.getByTestId('campaign-form-require-consent') as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(select(screen.getByTestId('campaign-form-template')).value).toBe('t-tg'));
  });
});
