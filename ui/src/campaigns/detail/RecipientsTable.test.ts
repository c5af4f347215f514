import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../../lib/backend';
import type { RecipientRow } from '../../lib/bindings/RecipientRow';
import type { RecipientQuery } from '../../lib/bindings/RecipientQuery';
import { lang } from '../../lib/i18n';
import { installMockBackend } from '../../test/mockBackend';
import RecipientsTable from './RecipientsTable.svelte';

const people: RecipientRow[] = Array.from({ length: 60 }, (_, i) => ({
  customer_id: `cu${i}`,
  full_name: `Khách ${i}`,
  channel: 'telegram',
  outcome: 'sent',
  skip_reason: null,
  detail: null,
  outbox_id: `o${i}`,
  last_error: null,
  sent_at: null,
  replied: false,
}));

type Page = { items: RecipientRow[]; total: number };

/** Answers every ask by hand, in the order the test chooses. */
function manualBackend() {
  const asks: { query: RecipientQuery; answer: () => void }[] = [];
  const mock = installMockBackend({
    campaignRecipients: (_id, query) =>
      new Promise<Page>((resolve) => {
        asks.push({
          query,
          answer: () => resolve({ items: people.slice(query.offset, query.offset + query.limit), total: people.length }),
        });
      }),
  });
  return { mock, asks };
}

const shown = () => screen.queryAllByTestId('campaign-recipient-row').length;

beforeEach(() => lang.set('vi'));

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('RecipientsTable', () => {
  it('keeps a "Load more" page that answers after the list was read again', async () => {
    const { asks } = manualBackend();
    const { rerender } = render(RecipientsTable, { campaignId: 'c1', runId: null, version: 1 });
    await waitFor(() => expect(asks).toHaveLength(1));
    asks[0].answer();
    await waitFor(() => expect(shown()).toBe(50));

    await fireEvent.click(screen.getByTestId('campaign-recipients-more'));
    expect(asks[1].query).toMatchObject({ offset: 50, limit: 50 });
    // The report is read again (the detail's polling) while the page is on its way.
    await rerender({ campaignId: 'c1', runId: null, version: 2 });
    await waitFor(() => expect(asks).toHaveLength(3));
    expect(asks[2].query).toMatchObject({ offset: 0, limit: 50 });
    asks[2].answer();
    asks[1].answer();
    await waitFor(() => expect(shown()).toBe(60));
    expect(screen.queryByTestId('campaign-recipients-more')).toBeNull();
  });

  it('keeps the rows a "Load more" brought when an older reading answers after it', async () => {
    const { asks } = manualBackend();
    const { rerender } = render(RecipientsTable, { campaignId: 'c1', runId: null, version: 1 });
    await waitFor(() => expect(asks).toHaveLength(1));
    asks[0].answer();
    await waitFor(() => expect(shown()).toBe(50));

    await rerender({ campaignId: 'c1', runId: null, version: 2 });
    await waitFor(() => expect(asks).toHaveLength(2));
    await fireEvent.click(screen.getByTestId('campaign-recipients-more'));
    expect(asks[2].query).toMatchObject({ offset: 50, limit: 50 });
    asks[2].answer();
    await waitFor(() => expect(shown()).toBe(60));
    asks[1].answer();
    // The reading again covered the first 50: the ten below them stay.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await waitFor(() => expect(shown()).toBe(60));
  });

  it('drops a "Load more" page of an outcome no longer chosen', async () => {
    const { asks } = manualBackend();
    render(RecipientsTable, { campaignId: 'c1', runId: null, version: 1 });
    await waitFor(() => expect(asks).toHaveLength(1));
    asks[0].answer();
    await waitFor(() => expect(shown()).toBe(50));

    await fireEvent.click(screen.getByTestId('campaign-recipients-more'));
    await fireEvent.change(screen.getByTestId('campaign-recipients-outcome'), { target: { value: 'failed' } });
    await waitFor(() => expect(asks).toHaveLength(3));
    expect(asks[2].query).toMatchObject({ outcome: 'failed', offset: 0 });
    asks[1].answer();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown()).toBe(0);
  });
});
