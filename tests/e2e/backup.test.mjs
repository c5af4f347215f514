// Backup and restore from the command line of the real binary, while the app is open on the same
// data folder: `tend backup --out FILE` takes a checked copy; a customer added afterwards is gone
// after `tend restore FILE`, in the open window too (the database as it was kept as a backup); a
// file that is not a backup is refused with a non-zero exit and changes nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { searchCustomers, tendCli } from './helpers.mjs';
import { launch, waitFor } from './webdriver.mjs';

let s;

after(async () => {
  if (s) await s.close();
});


async function addCustomer(name, phone) {
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), name);
  await s.type(await s.byTestId('customer-form-phone'), phone);
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', name);
}


test('a backup taken while the app runs restores, and a file that is not a backup is refused', async () => {
  s = await launch();
  await addCustomer('Đinh Thị Thu', '0912 000 111');

  const file = join(s.dataDir, 'before.zip');
  const backup = tendCli(s, 'backup', '--out', file);
  assert.equal(backup.code, 0, backup.err);
  assert.match(backup.out, /1 customers/);
  assert.ok(existsSync(file));

  await addCustomer('Mai Văn Tới', '0912 000 222');
  await searchCustomers(s, 'toi');
  await s.waitFor('[data-testid="customer-row"]', 'Mai Văn Tới');

  // Not a backup: refused, nothing changes.
  const bogus = join(s.dataDir, 'bogus.zip');
  writeFileSync(bogus, 'Họ tên,SĐT\nAn,0901111222\n');
  const refused = tendCli(s, 'restore', bogus);
  assert.notEqual(refused.code, 0);
  assert.match(refused.err, /not a Tend backup/);
  await searchCustomers(s, 'mai');
  await s.waitFor('[data-testid="customer-row"]', 'Mai Văn Tới');

  const restore = tendCli(s, 'restore', file);
  assert.equal(restore.code, 0, restore.err);
  assert.match(restore.out, /Restored 1 customers/);
  // What it replaced held both customers: the command line saw what the open app had written
  // (the app keeps its locks on the database, so nobody checkpoints its log away under it).
  assert.match(restore.out, /as it was \(2 customers\)/);
  // The database as it was is kept as a backup first.
  assert.ok(readdirSync(join(s.dataDir, 'backups')).some((f) => f.startsWith('before-restore-')));

  // The open window reads the restored book.
  await searchCustomers(s, 'mai van');
  await s.byTestId('customer-no-match');
  await searchCustomers(s, 'dinh');
  await s.waitFor('[data-testid="customer-row"]', 'Đinh Thị Thu');
  await s.screenshot('b1-after-restore');

  // Settings → Backup: back up now, and the new file is the last backup.
  await s.click(await s.byTestId('nav-settings'));
  const button = await s.byTestId('backup-now');
  await s.click(button);
  const last = await s.waitFor('[data-testid="backup-last"]', 'tend-backup-', 20_000);
  const name = (await s.text(last)).match(/tend-backup-[\d-]+\.zip/)[0];
  assert.ok(existsSync(join(s.dataDir, 'backups', name)), name);
  const listed = tendCli(s, 'restore', join(s.dataDir, 'backups', name));
  assert.equal(listed.code, 0, listed.err);
  assert.match(listed.out, /Restored 1 customers/);
  await s.script('arguments[0].scrollIntoView()', { 'element-6066-11e4-a52e-4f735466cecf': last });
  await s.screenshot('b2-settings-backup');
});
