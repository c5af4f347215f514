import { describe, expect, it } from 'vitest';
import type { ImportOpened } from '../lib/bindings/ImportOpened';
import { buildOptions, encodingChoice, proposedMapping, remap } from './importModel';

const opened = (fields: ImportOpened['columns'][number]['field'][]): ImportOpened => ({
  file_name: 'a.csv',
  format: 'csv',
  encoding: 'UTF-8',
  row_count: 2,
  header_line: 1,
  columns: fields.map((field, index) => ({ index, header: `C${index}`, field, samples: [] })),
  default_tag: 'Nhập từ a.csv',
});

describe('importModel', () => {
  it('finds the encoding list entry for the encoding a file was read in', () => {
    expect(encodingChoice('UTF-8')).toBe('utf-8');
    expect(encodingChoice('UTF-16LE')).toBe('utf-16');
    expect(encodingChoice('windows-1258')).toBe('windows-1258');
    // One the list lacks is kept as it is, so the list can still show it.
    expect(encodingChoice('Shift_JIS')).toBe('Shift_JIS');
    expect(encodingChoice(null)).toBe('');
  });

  it('keeps the columns set by hand when the file is read again', () => {
    const before = opened(['skip', 'phone', 'skip']);
    expect(proposedMapping(before)).toEqual(['skip', 'phone', 'skip']);
    const after = opened(['full_name', 'phone', 'email']);
    expect(remap(after, ['skip', 'phone', 'notes'], new Set([2]))).toEqual(['full_name', 'phone', 'notes']);
    // A column that no longer exists is dropped.
    expect(remap(opened(['full_name']), ['skip', 'notes'], new Set([1]))).toEqual(['full_name']);
  });

  it('sends row choices in line order and an empty tag as none', () => {
    expect(buildOptions(['full_name'], 'update', { 30: 'skip', 12: 'create' }, '   ')).toEqual({
      mapping: ['full_name'],
      on_duplicate: 'update',
      row_choices: [
        { line: 12, choice: 'create' },
        { line: 30, choice: 'skip' },
      ],
      tag: null,
    });
    expect(buildOptions([], 'skip', {}, ' Hội chợ ').tag).toBe('Hội chợ');
  });
});
