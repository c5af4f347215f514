import { describe, expect, it } from 'vitest';
import type { Segment } from '../lib/bindings/Segment';
import {
  FIELD_SPECS,
  PROVINCES,
  SEGMENT_FIELDS,
  changeField,
  emptySegmentForm,
  newCriterion,
  newGroup,
  segmentFormFrom,
  toDefinition,
  toSegmentInput,
} from './segmentModel';

describe('segment form model', () => {
  it('offers every field the backend knows, each with at least one comparison', () => {
    expect([...SEGMENT_FIELDS].sort()).toEqual(Object.keys(FIELD_SPECS).sort());
    for (const field of SEGMENT_FIELDS) expect(FIELD_SPECS[field].ops.length, field).toBeGreaterThan(0);
  });

  it('starts a field on its default comparison and value', () => {
    expect(newCriterion('no_contact_days')).toMatchObject({ field: 'no_contact_days', op: 'within', value: '30' });
    expect(newCriterion('lifecycle')).toMatchObject({ op: 'is', value: 'prospect' });
    expect(newCriterion('consent')).toMatchObject({ op: 'given', value: 'zalo' });
    expect(newCriterion('tag', { firstTagId: 't1' })).toMatchObject({ op: 'has', value: 't1' });
  });

  it('resets the comparison and value when the field changes, keeping the row', () => {
    const tag = { ...newCriterion('tag', { firstTagId: 't1' }), op: 'has_not' as const, more: ['t2'] };
    const changed = changeField(tag, 'birthday_within_days');
    expect(changed).toEqual({ key: tag.key, field: 'birthday_within_days', op: 'within', value: '7', more: [], to: '' });
  });

  it('builds the definition: tags as ids in `values`, other values trimmed, empty groups dropped', () => {
    const form = emptySegmentForm();
    form.name = '  VIP lâu chưa liên hệ ';
    form.criteria = [
      { ...newCriterion('tag', { firstTagId: 't1' }), more: ['t2', 't1', ''] },
      newCriterion('no_contact_days'),
      { ...newCriterion('last_contact'), op: 'between', value: '2025-01-01', to: '2025-03-31' },
      { ...newCriterion('province'), value: ' Hồ Chí Minh ' },
    ];
    const group = newGroup({ firstTagId: 't1' });
    group.criteria = [{ ...newCriterion('temperature'), value: 'warm' }, newCriterion('do_not_contact')];
    form.groups = [group, { ...newGroup(), criteria: [] }];

    expect(toSegmentInput(form)).toEqual({
      name: 'VIP lâu chưa liên hệ',
      definition: {
        match: 'all',
        criteria: [
          { field: 'tag', op: 'has', value: null, values: ['t1', 't2'], to: null },
          { field: 'no_contact_days', op: 'within', value: '30', values: [], to: null },
          { field: 'last_contact', op: 'between', value: '2025-01-01', values: [], to: '2025-03-31' },
          { field: 'province', op: 'has', value: 'Hồ Chí Minh', values: [], to: null },
        ],
        groups: [
          {
            match: 'any',
            criteria: [
              { field: 'temperature', op: 'is', value: 'warm', values: [], to: null },
              { field: 'do_not_contact', op: 'has', value: null, values: [], to: null },
            ],
          },
        ],
      },
    });
  });

  it('reads a stored segment back into the same definition', () => {
    const segment: Segment = {
      id: 'sg1',
      name: 'Sinh nhật',
      created_at: 0,
      updated_at: 0,
      definition: {
        match: 'any',
        criteria: [
          { field: 'tag', op: 'has_all', value: 't3', values: ['t1', 't2'], to: null },
          { field: 'birthday_within_days', op: 'within', value: '14', values: [], to: null },
        ],
        groups: [{ match: 'all', criteria: [{ field: 'has_channel', op: 'has_not', value: 'email', values: [], to: null }] }],
      },
    };
    const form = segmentFormFrom(segment);
    expect(form.match).toBe('any');
    expect(toDefinition(form)).toEqual({
      match: 'any',
      criteria: [
        { field: 'tag', op: 'has_all', value: null, values: ['t1', 't2', 't3'], to: null },
        { field: 'birthday_within_days', op: 'within', value: '14', values: [], to: null },
      ],
      groups: segment.definition.groups,
    });
  });

  it('suggests every province, the big cities first', () => {
    expect(PROVINCES.slice(0, 2)).toEqual(['Hồ Chí Minh', 'Hà Nội']);
    expect(new Set(PROVINCES).size).toBe(63);
  });
});
