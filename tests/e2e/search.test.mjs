// Search among many of the same family name, on the real binary with the sample book (300
// customers, over a hundred of them Nguyễn): the list shows how many match, every one of them
// can be reached by scrolling past the first page, and a Nguyễn added a minute ago comes first.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitFor } from './webdriver.mjs';
import { ELEMENT } from './helpers.mjs';

let s;

after(async () => {
  if (s) await s.close();
});

test('more than 50 Nguyễn are all reachable and the newest is first', async () => {
  s = await launch();
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('load-sample-data'));
  await s.waitFor('[data-testid="customer-row"]', '');

  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), 'Nguyễn Văn Hùng');
  await s.type(await s.byTestId('customer-form-phone'), '0977 654 321');
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', 'Nguyễn Văn Hùng');

  await s.click(await s.byTestId('nav-customers'));
  await s.type(await s.byTestId('customer-search'), 'nguyen');
  const totalText = await s.text(await s.waitFor('[data-testid="search-total"]', 'khách hàng'));
  const total = Number(totalText.replace(/\D/g, ''));
  assert.ok(total > 50, `more than a page of matches (${totalText})`);
  const first = await s.waitFor('#customer-row-0[data-testid="customer-row"]', '');
  assert.match(await s.text(first), /Nguyễn Văn Hùng/, 'the one added a minute ago is on top');
  await s.screenshot('s1-search-nguyen');

  // Scroll to the end, page after page, until the last match is there.
  const list = await s.byTestId('customer-list');
  const last = await waitFor(`row ${total} of ${total}`, async () => {
    await s.script('arguments[0].scrollTop = arguments[0].scrollHeight', { [ELEMENT]: list });
    return s.find(`#customer-row-${total - 1}[data-testid="customer-row"]`);
  }, 20_000);
  assert.match(await s.text(last), /\p{L}/u, 'a real customer, not a placeholder');
  assert.equal(await s.find(`#customer-row-${total}`), null, 'nothing past the total');
  await s.screenshot('s2-search-end');
});
