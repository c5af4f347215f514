// Takes the screenshots in assets/screenshots/ (`make screenshots`): the screens a salesperson's
// day goes through, on the sample book, in Vietnamese and then in English. Not a test: it drives
// the real window the way the tests do and saves what it shows.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, waitFor } from './webdriver.mjs';
import { openCustomer, optionValue } from './helpers.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets', 'screenshots');
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'import');

const s = await launch();
try {
  mkdirSync(OUT, { recursive: true });
  const shot = async (name) => {
    // Confirmations fade after a few seconds; they would hide the screen.
    await waitFor('the toasts to fade', async () => (await s.findAll('[data-testid="toast-success"]')).length === 0, 8000);
    copyFileSync(await s.screenshot(name), join(OUT, `${name}.png`));
  };

  // The welcome card: my name, then the sample book.
  await s.type(await s.byTestId('welcome-my-name'), 'Minh');
  await s.type(await s.byTestId('welcome-my-phone'), '0909 123 456');
  await s.click(await s.byTestId('welcome-save'));
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('load-sample-data'));
  await s.waitFor('[data-testid="customer-row"]', '');

  // A customer in the starter scenario, so Today has a personal Zalo message to send.
  await openCustomer(s, 'dang huu son', 'Đặng Hữu Sơn');
  await s.click(await s.byTestId('scenario-enroll'));
  const picker = await s.byTestId('scenario-enroll-select');
  await s.setValue(picker, await optionValue(s, picker, 'Chăm sóc sau bán hàng'));
  await s.click(await s.byTestId('scenario-enroll-confirm'));
  await s.waitFor('[data-testid="enrollment-row"]', 'active');

  for (const lang of ['vi', 'en']) {
    await s.setValue(await s.find('nav select'), lang);
    await settle();

    await s.click(await s.byTestId('nav-today'));
    await s.waitFor('[data-testid="today-assisted"]', 'Sơn', 30_000);
    await settle();
    await shot(`today-${lang}`);

    await s.click(await s.byTestId('task-log-call'));
    await s.byTestId('interaction-form-complete-task');
    await s.setValue(await s.byTestId('interaction-form-outcome'), 'no_answer');
    await settle();
    await shot(`log-from-task-${lang}`);
    await leave('nav-templates');

    await s.click(await s.byTestId('template-new'));
    await s.type(await s.byTestId('template-form-name'), lang === 'vi' ? 'Báo giá mới' : 'New price list');
    await s.type(
      await s.byTestId('template-form-body'),
      lang === 'vi'
        ? 'Chào anh/chị {{customer.nam}}, bảng giá mới đã có ạ.'
        : 'Hello {{customer.nam}}, the new price list is out.',
    );
    await s.click(await s.byTestId('template-form-save'));
    await s.waitFor('[data-testid="field-error"]', 'customer.name');
    await shot(`template-error-${lang}`);
    await leave('nav-scenarios');

    const row = await s.waitFor('[data-testid="scenario-row"]', 'Chăm sóc sau bán hàng');
    await s.click(await s.find('[data-testid="scenario-open"]', row));
    await s.byTestId('scenario-builder');
    await settle();
    await shot(`scenario-builder-${lang}`);

    // Import: an Excel sheet read, checked and previewed.
    await leave('nav-customers');
    await s.click(await s.byTestId('customer-import'));
    await s.type(await s.byTestId('import-file'), join(FIXTURES, 'merged-header.xlsx'));
    await s.waitFor('[data-testid="import-count-invalid"]', '2');
    await s.script("document.querySelector('[data-testid=\"import-counts\"]').scrollIntoView()");
    await settle();
    await shot(`import-${lang}`);

    // Export of the list, and the duplicates the sample book has.
    await leave('nav-customers');
    await s.click(await s.byTestId('customer-export'));
    await s.byTestId('export-panel');
    await settle();
    await shot(`export-${lang}`);
    await s.click(await s.byTestId('export-close'));
    await s.click(await s.byTestId('customer-duplicates'));
    await s.waitFor('[data-testid="duplicates-total"], [data-testid="duplicates-empty"]');
    await settle();
    await shot(`duplicates-${lang}`);
    await leave('nav-today');
  }
} finally {
  await s.close();
}

/** Lets transitions and debounced loads finish before a screenshot. */
function settle() {
  return new Promise((r) => setTimeout(r, 700));
}

/** Goes to another screen from the navigation, discarding what the form holds when asked. */
async function leave(nav) {
  await s.click(await s.byTestId(nav));
  await waitFor(`${nav} open`, async () => {
    const discard = await s.find('[data-testid="form-discard-confirm"]');
    if (discard) await s.click(discard).catch(() => {});
    return (await s.findAll(`[data-testid="${nav}"][aria-current="page"]`)).length > 0;
  });
}
