// The plain logic of the import screen: the choices it offers and the options it sends. The
// backend reads the file, proposes the mapping and checks every row; this only keeps what the
// salesperson chose.
import type { ImportEncoding } from '../lib/backend';
import type { DuplicateChoice } from '../lib/bindings/DuplicateChoice';
import type { ImportField } from '../lib/bindings/ImportField';
import type { ImportOpened } from '../lib/bindings/ImportOpened';
import type { ImportOptions } from '../lib/bindings/ImportOptions';
import type { ImportReport } from '../lib/bindings/ImportReport';
import type { MessageKey } from '../lib/i18n';

/** What the file picker offers: spreadsheets, delimited text and phone contacts. */
export const ACCEPTED_FILES = '.xlsx,.xls,.ods,.csv,.tsv,.txt,.vcf';

/** Every field a column can go into, in the order the mapping list shows them. */
export const IMPORT_FIELDS: readonly ImportField[] = [
  'skip',
  'full_name',
  'family_name',
  'middle_name',
  'given_name',
  'phone',
  'email',
  'company',
  'address',
  'birthday',
  'notes',
  'tags',
  'zalo',
  'source',
];

export const DUPLICATE_CHOICES: readonly DuplicateChoice[] = ['skip', 'update', 'create'];

/** The encodings a CSV or TSV file can be read in again, with their names in the catalogs. */
export const IMPORT_ENCODINGS: readonly { value: ImportEncoding; label: MessageKey }[] = [
  { value: 'utf-8', label: 'import.encoding.utf8' },
  { value: 'utf-16', label: 'import.encoding.utf16' },
  { value: 'windows-1258', label: 'import.encoding.windows1258' },
  { value: 'windows-1252', label: 'import.encoding.windows1252' },
];

/** Only delimited text has an encoding to choose; spreadsheets and vCards say their own. */
export function hasEncoding(opened: ImportOpened): boolean {
  return opened.format === 'csv' || opened.format === 'tsv';
}

/**
 * The entry of the encoding list for the encoding a file was read in (`UTF-16LE` is `utf-16`);
 * the detected name itself when the list has no entry for it.
 */
export function encodingChoice(detected: string | null): string {
  if (detected === null) return '';
  const name = detected.toLowerCase();
  if (name.startsWith('utf-16')) return 'utf-16';
  return IMPORT_ENCODINGS.some((e) => e.value === name) ? name : detected;
}

export function isImportEncoding(value: string): value is ImportEncoding {
  return IMPORT_ENCODINGS.some((e) => e.value === value);
}

/** The field of every column in column order, as the backend proposed them. */
export function proposedMapping(opened: ImportOpened): ImportField[] {
  const width = opened.columns.reduce((n, column) => Math.max(n, column.index + 1), 0);
  const mapping: ImportField[] = Array.from({ length: width }, () => 'skip');
  for (const column of opened.columns) mapping[column.index] = column.field;
  return mapping;
}

/**
 * The mapping after the file was read again (in another encoding): the new proposal, except the
 * columns the salesperson set by hand, which keep their choice while they still exist.
 */
export function remap(opened: ImportOpened, previous: readonly ImportField[], setByHand: ReadonlySet<number>): ImportField[] {
  const mapping = proposedMapping(opened);
  for (const index of setByHand) {
    if (index < mapping.length && previous[index] !== undefined) mapping[index] = previous[index];
  }
  return mapping;
}

/** What the dry run and the import are asked with; an empty tag means none. */
export function buildOptions(
  mapping: readonly ImportField[],
  onDuplicate: DuplicateChoice,
  rowChoices: Readonly<Record<number, DuplicateChoice>>,
  tag: string,
): ImportOptions {
  const trimmed = tag.trim();
  return {
    mapping: [...mapping],
    on_duplicate: onDuplicate,
    row_choices: Object.entries(rowChoices)
      .map(([line, choice]) => ({ line: Number(line), choice }))
      .sort((a, b) => a.line - b.line),
    tag: trimmed === '' ? null : trimmed,
  };
}

/** How many customers writing adds or changes: the number on the import button. */
export function toWrite(report: ImportReport): number {
  return report.to_create + report.to_update;
}
