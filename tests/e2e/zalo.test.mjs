// Zalo end to end on the real binary against the local Zalo (tend-fake-zalo): a template mapped
// to an approved Zalo template, sent by Zalo (automatic) to a customer outside the 7-day window,
// goes once as a template message to the phone with the right parameters; the customer's reply
// is read back onto the timeline and ends the scenario that stops on reply; the next message
// goes as a free reply quoting theirs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitFor } from './webdriver.mjs';
import { startFakeZalo } from './fake-zalo.mjs';
import { ELEMENT, openCustomer, optionValue } from './helpers.mjs';

let s;
let zalo;

before(async () => {
  zalo = await startFakeZalo();
  await zalo.addTemplate('231456', 'Hỏi thăm sau mua', [['customer_name', 30], ['shop', 40]]);
  s = await launch({ env: zalo.env });
});

after(async () => {
  if (s) await s.close();
  if (zalo) zalo.stop();
});

async function saveSettings() {
  await s.click(await s.byTestId('nav-settings'));
  await s.click(await s.byTestId('settings-save'));
  await new Promise((r) => setTimeout(r, 500));
}

test('Zalo: a template message outside the window, the reply read back, then a free reply', async () => {
  // Settings: the OA.
  await s.click(await s.byTestId('nav-settings'));
  await s.type(await s.byTestId('settings-zalo-app-id'), 'app1');
  await s.type(await s.byTestId('settings-zalo-app-secret'), 'secret');
  await s.type(await s.byTestId('settings-zalo-access-token'), 'access-0');
  await s.type(await s.byTestId('settings-zalo-refresh-token'), 'refresh-0');
  await s.type(await s.byTestId('settings-my-name'), 'Lan');
  await s.click(await s.byTestId('settings-save'));
  await new Promise((r) => setTimeout(r, 800));
  await s.click(await s.byTestId('settings-zalo-quota-check'));
  await s.waitFor('[data-testid="settings-zalo-quota"]', '500');
  await s.screenshot('z1-settings');

  // A customer with a phone and a Zalo user id, who never wrote to the OA.
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), 'Trần Thị Mai');
  await s.type(await s.byTestId('customer-form-phone'), '0912 345 678');
  await s.type(await s.byTestId('customer-form-zalo-user-id'), '5001');
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', 'Trần Thị Mai');

  // A Zalo text that is also sent as the approved Zalo template outside Zalo's windows.
  await s.click(await s.byTestId('nav-templates'));
  await s.click(await s.byTestId('template-new'));
  await s.type(await s.byTestId('template-form-name'), 'Hỏi thăm');
  await s.setValue(await s.byTestId('template-form-channel'), 'zalo');
  await s.type(await s.byTestId('template-form-body'), 'Dạ em chào chị {{customer.given_name}}, chị dùng sản phẩm thấy thế nào ạ?');
  await s.click(await s.waitFor('[data-testid="template-zalo-section"] summary'));
  await s.click(await s.byTestId('template-zalo-refresh'));
  const zt = await s.byTestId('template-form-zalo-template');
  await s.setValue(zt, await optionValue(s, zt, 'Hỏi thăm sau mua'));
  await s.setValue(await s.byTestId('template-param-customer_name'), 'customer.name');
  await s.setValue(await s.byTestId('template-param-shop'), 'text');
  await s.type(await s.byTestId('template-param-shop-text'), 'Cửa hàng Minh Phát');
  await s.screenshot('z2-template');
  await s.click(await s.byTestId('template-form-save'));
  await s.waitFor('[data-testid="template-row"]', 'Hỏi thăm');

  // A scenario that stops when the customer replies, and Mai in it.
  await s.click(await s.byTestId('nav-scenarios'));
  await s.click(await s.byTestId('scenario-new'));
  await s.type(await s.byTestId('scenario-form-name'), 'Chăm sóc sau mua');
  // Stopping on reply is the default for a new scenario; make sure it is on.
  const stop = await s.byTestId('scenario-form-exit-on-reply');
  if (!(await s.script('return arguments[0].checked', { [ELEMENT]: stop }))) await s.click(stop);
  if ((await s.findAll('[data-testid="step-form-kind"]')).length === 0) await s.click(await s.byTestId('step-add'));
  await s.setValue(await s.byTestId('step-form-kind'), 'task');
  const days = await s.byTestId('step-form-delay-days');
  await s.clear(days);
  await s.type(days, '3');
  await s.type(await s.byTestId('step-form-title'), 'Gọi lại cho chị Mai');
  await s.click(await s.byTestId('scenario-save'));
  await s.waitFor('[data-testid="scenario-row"]', 'Chăm sóc sau mua');
  await openCustomer(s, 'mai', 'Trần Thị Mai');
  await s.click(await s.byTestId('scenario-enroll'));
  const sc = await s.byTestId('scenario-enroll-select');
  await s.setValue(sc, await optionValue(s, sc, 'Chăm sóc sau mua'));
  await s.click(await s.byTestId('scenario-enroll-confirm'));
  await s.waitFor('[data-testid="enrollment-row"]', 'active');

  // Compose by Zalo (automatic): outside every window it says it goes as a template, at a price.
  await s.click(await s.byTestId('message-new'));
  const picker = await s.byTestId('message-form-template');
  await s.setValue(picker, await optionValue(s, picker, 'Hỏi thăm'));
  await s.setValue(await s.byTestId('message-form-channel'), 'zalo_auto');
  const route = await s.waitFor('[data-testid="message-route"][data-route="template"]');
  assert.match(await s.text(route), /200/);
  await s.screenshot('z3-compose-template');
  await s.click(await s.byTestId('message-send'));

  // Once, as a template message to the phone, with the right values.
  await waitFor('the template message', async () => (await zalo.templateSent()).length === 1, 20_000);
  await s.click(await s.byTestId('nav-outbox'));
  await s.waitFor('[data-testid="outbox-row"]', 'sent', 20_000);
  await s.screenshot('z4-outbox');
  const [sent] = await zalo.templateSent();
  assert.equal(sent.phone, '84912345678');
  assert.equal(sent.template_id, '231456');
  assert.deepEqual(sent.template_data, { customer_name: 'Trần Thị Mai', shop: 'Cửa hàng Minh Phát' });
  assert.equal((await zalo.sent()).length, 0, 'no consultation message outside the window');

  // Mai answers on Zalo; one read (saving settings reads at once) brings it to her timeline and
  // ends the scenario that stops on reply.
  const theirs = await zalo.userSays('5001', 'Mai Trần', 'Dạ em dùng tốt lắm ạ');
  await saveSettings();
  await openCustomer(s, 'mai', 'Trần Thị Mai');
  await s.waitFor('[data-testid="timeline-item"]', 'Dạ em dùng tốt lắm ạ', 20_000);
  await s.waitFor('[data-testid="enrollment-row"]', 'exited', 20_000);
  await s.screenshot('z5-reply');

  // Now inside the window: a free reply quoting her message.
  await openCustomer(s, 'mai', 'Trần Thị Mai');
  await s.click(await s.byTestId('message-new'));
  const picker2 = await s.byTestId('message-form-template');
  await s.setValue(picker2, await optionValue(s, picker2, 'Hỏi thăm'));
  await s.setValue(await s.byTestId('message-form-channel'), 'zalo_auto');
  await s.waitFor('[data-testid="message-route"][data-route="free_reply"]');
  await s.screenshot('z7-compose-free');
  await s.click(await s.byTestId('message-send'));
  await waitFor('the free reply', async () => (await zalo.sent()).length === 1, 20_000);
  const [reply] = await zalo.sent();
  assert.equal(reply.user_id, '5001');
  assert.equal(reply.quote_message_id, theirs);
  assert.match(reply.text, /Dạ em chào chị Mai/);
  assert.equal((await zalo.templateSent()).length, 1, 'still one template message');
});

test('someone who is not a customer yet writes: an unknown contact, linked to a customer', async () => {
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), 'Hoàng Minh Đức');
  await s.type(await s.byTestId('customer-form-phone'), '0987 654 321');
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', 'Hoàng Minh Đức');

  await zalo.userSays('7002', 'Đức Hoàng', 'Shop còn mẫu xanh không ạ?');
  await saveSettings();
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.waitFor('[data-testid="zalo-unknown-review"]', '', 20_000));
  const row = await s.waitFor('[data-testid="zalo-unknown-contact"]', 'Shop còn mẫu xanh không ạ?');
  assert.match(await s.text(row), /Đức Hoàng/);
  await s.screenshot('z8-unknown-contact');
  await s.click(await s.byTestId('zalo-contact-link'));
  await s.type(await s.byTestId('zalo-link-search'), 'hoang minh');
  await s.click(await s.waitFor('[data-testid="zalo-link-option"]', 'Hoàng Minh Đức'));
  await waitFor('the contact to leave the list', async () => (await s.findAll('[data-testid="zalo-unknown-contact"]')).length === 0);

  // What they wrote is on the customer's timeline, and their Zalo id is theirs.
  await openCustomer(s, 'hoang minh', 'Hoàng Minh Đức');
  await s.waitFor('[data-testid="timeline-item"]', 'Shop còn mẫu xanh không ạ?');
  await s.screenshot('z9-linked');
});
