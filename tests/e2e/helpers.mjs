// Steps several end-to-end files share.
import { spawnSync } from 'node:child_process';
import { waitFor } from './webdriver.mjs';

export const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** The value of the option of `select` whose text includes `text`, once it is there. */
export async function optionValue(s, select, text) {
  return waitFor(`an option “${text}”`, () =>
    s.script(
      `const o = [...arguments[0].options].find((o) => o.textContent.includes(arguments[1])); return o ? o.value : null;`,
      { [ELEMENT]: select },
      text,
    ),
  );
}

/**
 * Finds a customer and opens them. Background work refreshes the list when it changes data, so a
 * click can land on a row that is being replaced: click again until the detail shows.
 */
export async function openCustomer(s, query, name) {
  await s.click(await s.byTestId('nav-customers'));
  // The list keeps the last search: start from an empty box.
  const search = await s.byTestId('customer-search');
  await s.clear(search);
  await s.type(search, query);
  await waitFor(`${name}'s detail`, async () => {
    const detail = await s.find('[data-testid="customer-detail-name"]');
    if (detail && (await s.text(detail).catch(() => '')).includes(name)) return true;
    for (const row of await s.findAll('[data-testid="customer-row"]')) {
      if ((await s.text(row).catch(() => '')).includes(name)) {
        await s.click(row).catch(() => {});
        break;
      }
    }
    return false;
  }, 20_000);
}

/** Local calendar date as the value of an <input type="date">. */
export function isoDate(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Runs the binary's command line (`tend <args>`) on the session's data folder, without a window. */
export function tendCli(s, ...args) {
  const r = spawnSync(process.env.TEND_APP, args, {
    env: { ...process.env, TEND_DATA_DIR: s.dataDir, DISPLAY: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Searches the customer list for `query`. */
export async function searchCustomers(s, query) {
  await s.click(await s.byTestId('nav-customers'));
  const box = await s.byTestId('customer-search');
  await s.clear(box);
  await s.type(box, query);
}
