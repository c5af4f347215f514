import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../app/App.svelte';
import { setBackend, tauriBackend } from '../lib/backend';
import { lang } from '../lib/i18n';
import { navigate, route } from '../lib/router';
import { installMockBackend } from '../test/mockBackend';
import { campaign, segmentSummary } from './campaignFixture';

beforeEach(() => {
  lang.set('vi');
  route.set({ name: 'today' });
});

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('Campaigns in the app', () => {
  it('is in the navigation after Scenarios and stays highlighted on a campaign', async () => {
    installMockBackend({
      listSegments: () => Promise.resolve([segmentSummary]),
      getCampaign: () => Promise.resolve(campaign),
      campaignPreview: () => Promise.reject(new Error('not needed')),
      campaignReport: () => Promise.reject(new Error('not needed')),
    });
    render(App);
    const items = screen.getAllByRole('button').map((b) => b.dataset.testid).filter((id) => id?.startsWith('nav-'));
    expect(items.indexOf('nav-campaigns')).toBe(items.indexOf('nav-scenarios') + 1);
    const nav = screen.getByTestId('nav-campaigns');
    expect(nav.textContent).toContain('Chiến dịch');

    await fireEvent.click(nav);
    expect(await screen.findByTestId('campaigns-screen')).toBeTruthy();
    expect(nav.getAttribute('aria-current')).toBe('page');

    navigate({ name: 'campaign', id: 'c1' });
    expect(await screen.findByTestId('campaign-detail')).toBeTruthy();
    expect(nav.getAttribute('aria-current')).toBe('page');
  });

  it('opens with "g" then "d"', async () => {
    installMockBackend();
    render(App);
    await fireEvent.keyDown(window, { key: 'g' });
    await fireEvent.keyDown(window, { key: 'd' });
    await waitFor(() => expect(get(route)).toEqual({ name: 'campaigns' }));
  });
});
