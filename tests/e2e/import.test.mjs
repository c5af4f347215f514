// Import and export on the real binary: an .xlsx made the way Excel makes them (a merged title
// row, real date cells, phones typed as numbers) is picked through the import screen's file
// input; the preview shows what is new, what the book already has and what is invalid; writing
// adds the new customers, who are found by search; `tend export` writes them out and
// `tend import --dry-run` reads that file back as the same customers; undo takes the import back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { searchCustomers, tendCli } from './helpers.mjs';
import { launch } from './webdriver.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'import');

let s;

after(async () => {
  if (s) await s.close();
});



test('an xlsx imported through the screen, exported and read back, then undone', async () => {
  s = await launch();
  // Already in the book: Đặng Thu Hà's phone, so her row is a duplicate.
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), 'Đặng Thu Hà');
  await s.type(await s.byTestId('customer-form-phone'), '0977 888 999');
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', 'Đặng Thu Hà');

  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-import'));
  await s.type(await s.byTestId('import-file'), join(FIXTURES, 'merged-header.xlsx'));
  await s.waitFor('[data-testid="import-count-new"]', '3');
  await s.waitFor('[data-testid="import-count-duplicates"]', '1');
  await s.waitFor('[data-testid="import-count-invalid"]', '2');
  const preview = await s.text(await s.byTestId('import-preview-row'));
  assert.match(preview, /Nguyễn Văn An/);
  assert.match(preview, /0912 345 678/, 'a phone typed as a number, shown with its 0');
  assert.match(preview, /09\/03\/1985/, 'an Excel date as a Vietnamese user reads it');
  const invalid = await s.findAll('[data-testid="import-invalid-row"]');
  assert.equal(invalid.length, 2);
  assert.match(await s.text(invalid[0]), /Phạm Đức Dũng/);

  await s.click(await s.byTestId('import-write'));
  await s.waitFor('[data-testid="import-done-counts"]', '3');

  await searchCustomers(s, 'cuong');
  await s.waitFor('[data-testid="customer-row"]', 'Lê Hoàng Cường');

  // Out and back in: the exported file reads as the same four customers.
  const out = join(s.dataDir, 'book.xlsx');
  const exported = tendCli(s, 'export', '--format', 'xlsx', '--out', out);
  assert.equal(exported.code, 0, exported.err);
  assert.match(exported.out, /Exported 4 customers/);
  assert.ok(readFileSync(out).subarray(0, 2).toString() === 'PK');
  const back = tendCli(s, 'import', out, '--dry-run');
  assert.equal(back.code, 0, back.out + back.err);
  assert.match(back.out, /New: 0\. Already in the book: 4\. Repeated inside the file: 0\. Invalid: 0\./);

  // The command line reports invalid rows with their line and exits non-zero.
  const bad = tendCli(s, 'import', join(FIXTURES, 'merged-header.xlsx'), '--dry-run');
  assert.equal(bad.code, 2);
  assert.match(bad.out, /line 7 \(Phạm Đức Dũng\)/);

  // Undo: the three customers the import added are gone; the one typed by hand stays.
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-import'));
  await s.click(await s.byTestId('import-history-undo'));
  await s.click(await s.byTestId('import-history-undo-confirm'));
  await s.byTestId('import-history-undone');
  await searchCustomers(s, 'cuong');
  await s.byTestId('customer-no-match');
  await searchCustomers(s, 'thu ha');
  await s.waitFor('[data-testid="customer-row"]', 'Đặng Thu Hà');
});
