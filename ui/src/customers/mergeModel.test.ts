import { describe, expect, it } from 'vitest';
import { customerFixture } from '../test/customerFixture';
import { defaultKeep, defaultPick, differingFields, JOIN_NOTES, mergeRequest } from './mergeModel';

const phone = { id: 'p1', number: '+84912345678', display: '0912 345 678', label: null, is_primary: true };

const older = customerFixture({
  id: 'a',
  full_name: 'Nguyễn Văn An',
  email: 'an@binhminh.vn',
  company_name: 'Bình Minh',
  notes: 'Khách quen',
  phones: [phone],
});
const newer = customerFixture({
  id: 'b',
  full_name: 'Nguyễn Văn An',
  email: 'an.nguyen@gmail.com',
  address: '12 Lê Lợi, Huế',
  notes: 'Gặp ở hội chợ',
  lifecycle_stage: 'prospect',
});

describe('differingFields', () => {
  it('leaves out fields equal or empty on both, in the order the form shows them', () => {
    expect(differingFields(older, newer)).toEqual(['email', 'company_name', 'address', 'lifecycle_stage', 'notes']);
  });

  it('treats blank text as empty and ignores spaces around a value', () => {
    const a = customerFixture({ id: 'a', source: '  ', company_name: 'Bình Minh ' });
    const b = customerFixture({ id: 'b', source: null, company_name: 'Bình Minh' });
    expect(differingFields(a, b)).toEqual([]);
  });
});

describe('defaultPick', () => {
  it("keeps the kept customer's value, or the other's when the kept one has none", () => {
    expect(defaultPick('email', older, newer)).toBe('a');
    expect(defaultPick('address', older, newer)).toBe('b');
    expect(defaultPick('company_name', newer, older)).toBe('a');
  });

  it('joins notes both have, as the backend does with notes nobody picked', () => {
    expect(defaultPick('notes', older, newer)).toBe(JOIN_NOTES);
    expect(defaultPick('notes', older, customerFixture({ id: 'b' }))).toBe('a');
  });
});

describe('defaultKeep', () => {
  it('keeps the record with more on it, the first one on a tie', () => {
    expect(defaultKeep(older, newer).id).toBe('a');
    expect(defaultKeep(customerFixture({ id: 'a' }), customerFixture({ id: 'b', total_interactions: 3 })).id).toBe('b');
    expect(defaultKeep(customerFixture({ id: 'a' }), customerFixture({ id: 'b' })).id).toBe('a');
  });
});

describe('mergeRequest', () => {
  it('names whose value every differing field keeps, picks first, and leaves joined notes unnamed', () => {
    expect(mergeRequest(older, newer, { email: 'b' })).toEqual({
      keep: 'a',
      others: ['b'],
      choices: [
        { field: 'email', from: 'b' },
        { field: 'company_name', from: 'a' },
        { field: 'address', from: 'b' },
        { field: 'lifecycle_stage', from: 'a' },
      ],
    });
    expect(mergeRequest(newer, older, { notes: 'a' }).choices).toContainEqual({ field: 'notes', from: 'a' });
  });
});
