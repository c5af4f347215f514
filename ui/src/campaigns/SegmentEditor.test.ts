import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBackend, tauriBackend } from '../lib/backend';
import type { Segment } from '../lib/bindings/Segment';
import type { SegmentInput } from '../lib/bindings/SegmentInput';
import { lang } from '../lib/i18n';
import { goBack, navigate, route } from '../lib/router';
import { installMockBackend } from '../test/mockBackend';
import SegmentEditor from './SegmentEditor.svelte';

const tags = [
  { id: 'tag-vip', name: 'VIP', color: '#d4a017' },
  { id: 'tag-si', name: 'Khách sỉ', color: '#2c7a6b' },
];

function saved(input: SegmentInput): Segment {
  return { id: 'sg1', name: input.name, definition: input.definition, created_at: 1, updated_at: 1 };
}

const select = (el: HTMLElement) => el as HTMLSelectElement;
const last = <T>(list: T[]): T | undefined => list[list.length - 1];

beforeEach(() => {
  lang.set('vi');
  route.set({ name: 'segment-new' });
});

afterEach(() => {
  cleanup();
  setBackend(tauriBackend);
});

describe('SegmentEditor', () => {
  it('builds "VIP and no contact for 30 days", counts it live and saves it', async () => {
    route.set({ name: 'today' });
    navigate({ name: 'segment-new' });
    const mock = installMockBackend({
      listTags: () => Promise.resolve(tags),
      countSegment: () => Promise.resolve(128),
      saveSegment: (_id, input) => Promise.resolve(saved(input)),
    });
    render(SegmentEditor);

    await fireEvent.input(screen.getByTestId('segment-form-name'), { target: { value: 'VIP lâu chưa liên hệ' } });
    expect(select(screen.getByTestId('segment-form-match')).value).toBe('all');

    await fireEvent.click(screen.getByTestId('segment-criterion-add'));
    const tagValue = select(screen.getByTestId('segment-criterion-value'));
    await waitFor(() => expect([...tagValue.options].map((o) => o.text)).toEqual(['VIP', 'Khách sỉ']));
    await fireEvent.change(tagValue, { target: { value: 'tag-vip' } });
    // A tag criterion offers "any of", "all of" and "none of".
    expect([...select(screen.getByTestId('segment-criterion-op')).options].map((o) => o.value)).toEqual([
      'has',
      'has_all',
      'has_not',
    ]);

    await fireEvent.click(screen.getByTestId('segment-criterion-add'));
    const fields = screen.getAllByTestId('segment-criterion-field');
    expect(fields).toHaveLength(2);
    await fireEvent.change(fields[1], { target: { value: 'no_contact_days' } });
    const days = screen.getAllByTestId('segment-criterion-value')[1] as HTMLInputElement;
    expect(days.value).toBe('30');
    // One way to compare: no op select on that row.
    expect(screen.getAllByTestId('segment-criterion-op')).toHaveLength(1);

    const definition = {
      match: 'all',
      criteria: [
        { field: 'tag', op: 'has', value: null, values: ['tag-vip'], to: null },
        { field: 'no_contact_days', op: 'within', value: '30', values: [], to: null },
      ],
      groups: [],
    };
    await waitFor(() => expect(last(mock.callsTo('countSegment'))).toEqual([definition]));
    expect((await screen.findByTestId('segment-count')).textContent).toBe('128 khách hàng');

    await fireEvent.click(screen.getByTestId('segment-form-save'));
    await waitFor(() =>
      expect(mock.callsTo('saveSegment')).toEqual([[null, { name: 'VIP lâu chưa liên hệ', definition }]]),
    );
    await waitFor(() => expect(get(route)).toEqual({ name: 'campaigns' }));
    // The list replaced the editor in history: back does not reopen an empty editor.
    goBack();
    expect(get(route)).toEqual({ name: 'today' });
  });

  it('waits for the typing to stop before counting', async () => {
    const mock = installMockBackend({ listTags: () => Promise.resolve(tags), countSegment: () => Promise.resolve(5) });
    render(SegmentEditor);
    await fireEvent.click(screen.getByTestId('segment-criterion-add'));
    await fireEvent.change(screen.getByTestId('segment-criterion-field'), { target: { value: 'source' } });
    const input = screen.getByTestId('segment-criterion-value');
    for (const value of ['F', 'Fa', 'Fac', 'Face']) await fireEvent.input(input, { target: { value } });
    await waitFor(() => expect(last(mock.callsTo('countSegment'))?.[0].criteria[0].value).toBe('Face'));
    // Every key typed within the pause counted once at most: never once per key.
    expect(mock.callsTo('countSegment').length).toBeLessThan(4);
  });

  it('says what is wrong with a criterion when the count is refused, and the save error inline', async () => {
    const mock = installMockBackend({ listTags: () => Promise.resolve(tags), countSegment: () => Promise.resolve(3) });
    render(SegmentEditor);
    await fireEvent.click(screen.getByTestId('segment-criterion-add'));
    await fireEvent.change(screen.getByTestId('segment-criterion-field'), { target: { value: 'no_contact_days' } });
    await screen.findByTestId('segment-count');

    const refusal = {
      code: 'invalid_input' as const,
      key: 'segment.days_invalid',
      params: { criterion: '1', field: 'no_contact_days' },
      message: 'give a number of days from 0 to 3660',
      field: 'criteria',
    };
    mock.fail('countSegment', refusal);
    await fireEvent.input(screen.getByTestId('segment-criterion-value'), { target: { value: '99999' } });
    expect((await screen.findByTestId('segment-count-error')).textContent).toBe(
      'Điều kiện 1: nhập số ngày từ 0 đến 3660',
    );
    expect(screen.queryByTestId('segment-count')).toBeNull();

    mock.fail('saveSegment', { code: 'invalid_input', key: 'segment.name_missing', params: {}, message: 'name', field: 'name' });
    await fireEvent.click(screen.getByTestId('segment-form-save'));
    expect((await screen.findByTestId('field-error')).textContent).toBe('Đặt tên cho nhóm khách hàng');
    expect(get(route)).toEqual({ name: 'segment-new' });
  });

  it('adds a group with its own match and criteria', async () => {
    const mock = installMockBackend({ listTags: () => Promise.resolve(tags), countSegment: () => Promise.resolve(9) });
    render(SegmentEditor);
    await waitFor(() => expect(mock.callsTo('listTags')).toHaveLength(1));
    await fireEvent.click(screen.getByTestId('segment-criterion-add'));
    await fireEvent.change(screen.getByTestId('segment-criterion-field'), { target: { value: 'lifecycle' } });
    await fireEvent.click(screen.getByTestId('segment-group-add'));
    const group = screen.getByTestId('segment-group');
    expect(select(screen.getByTestId('segment-group-match')).value).toBe('any');
    await fireEvent.click(screen.getByTestId('segment-group-criterion-add'));
    expect(group.querySelectorAll('[data-testid="segment-criterion"]')).toHaveLength(2);
    const groupFields = group.querySelectorAll<HTMLSelectElement>('[data-testid="segment-criterion-field"]');
    await fireEvent.change(groupFields[1], { target: { value: 'temperature' } });

    await waitFor(() =>
      expect(last(mock.callsTo('countSegment'))).toEqual([
        {
          match: 'all',
          criteria: [{ field: 'lifecycle', op: 'is', value: 'prospect', values: [], to: null }],
          groups: [
            {
              match: 'any',
              criteria: [
                { field: 'tag', op: 'has', value: null, values: ['tag-vip'], to: null },
                { field: 'temperature', op: 'is', value: 'hot', values: [], to: null },
              ],
            },
          ],
        },
      ]),
    );
  });
});
