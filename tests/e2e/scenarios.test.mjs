// Care scenarios end to end on the real binary, with real waiting: a scenario of "message now",
// "task a minute after that" and "message two minutes after the start". The first message
// arrives at once, the task shows in Today about a minute later, the second message about a
// minute after that; the app is killed and restarted in between and nothing is sent twice.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitFor } from './webdriver.mjs';
import { startFakeTelegram } from './fake-telegram.mjs';
import { openCustomer as open, optionValue as option } from './helpers.mjs';

const TOKEN = '777000:E2E-CARE';
let s;
let tg;

after(async () => {
  if (s) await s.close();
  if (tg) tg.stop();
});

const optionValue = (select, text) => option(s, select, text);
const openCustomer = (query, name) => open(s, query, name);

async function nth(testId, n) {
  const all = await waitFor(`${n + 1} × ${testId}`, async () => {
    const found = await s.findAll(`[data-testid="${testId}"]`);
    return found.length > n && found;
  });
  return all[n];
}

test('a three-step scenario runs on time, across a restart, sending each message once', { timeout: 6 * 60_000 }, async () => {
  tg = await startFakeTelegram(TOKEN, 'tend_care_bot');
  const env = { TEND_TELEGRAM_API_BASE: tg.base };
  s = await launch({ env });
  const dataDir = s.dataDir;

  await s.click(await s.byTestId('nav-settings'));
  await s.type(await s.byTestId('settings-telegram-token'), TOKEN);
  await s.click(await s.byTestId('settings-save'));
  await new Promise((r) => setTimeout(r, 800));

  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), 'Phạm Minh Tuấn');
  await s.type(await s.byTestId('customer-form-phone'), '0903 123 456');
  await s.type(await s.byTestId('customer-form-telegram-chat-id'), '5151');
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', 'Phạm Minh Tuấn');

  for (const [name, body] of [
    ['Cảm ơn', 'Cảm ơn anh {{customer.given_name}} đã mua hàng!'],
    ['Hỏi thăm', 'Anh {{customer.given_name}} dùng sản phẩm thấy thế nào ạ?'],
  ]) {
    await s.click(await s.byTestId('nav-templates'));
    await s.click(await s.byTestId('template-new'));
    await s.type(await s.byTestId('template-form-name'), name);
    await s.setValue(await s.byTestId('template-form-channel'), 'telegram');
    await s.type(await s.byTestId('template-form-body'), body);
    await s.click(await s.byTestId('template-form-save'));
    await s.waitFor('[data-testid="template-row"]', name);
  }

  // The scenario.
  await s.click(await s.byTestId('nav-scenarios'));
  await s.click(await s.byTestId('scenario-new'));
  await s.type(await s.byTestId('scenario-form-name'), 'Sau mua hàng');
  while ((await s.findAll('[data-testid="step-form-kind"]')).length < 3) {
    await s.click(await s.byTestId('step-add'));
  }
  const steps = [
    { kind: 'message', minutes: '0', from: 'start', template: 'Cảm ơn' },
    { kind: 'task', minutes: '1', from: 'previous', title: 'Gọi hỏi thăm anh Tuấn' },
    { kind: 'message', minutes: '2', from: 'start', template: 'Hỏi thăm' },
  ];
  for (const [i, st] of steps.entries()) {
    await s.setValue(await nth('step-form-kind', i), st.kind);
    // New steps come with a default delay: set all three parts.
    for (const [id, value] of [['step-form-delay-days', '0'], ['step-form-delay-hours', '0'], ['step-form-delay-minutes', st.minutes]]) {
      const field = await nth(id, i);
      await s.clear(field);
      await s.type(field, value);
    }
    await s.setValue(await nth('step-form-delay-from', i), st.from);
    if (st.kind === 'message') {
      // The n-th template select belongs to the n-th message step.
      const templates = await s.findAll('[data-testid="step-form-template"]');
      const channels = await s.findAll('[data-testid="step-form-channel"]');
      const k = steps.slice(0, i).filter((x) => x.kind === 'message').length;
      await s.setValue(templates[k], await optionValue(templates[k], st.template));
      await s.setValue(channels[k], 'telegram');
    } else {
      const titles = await s.findAll('[data-testid="step-form-title"]');
      const k = steps.slice(0, i).filter((x) => x.kind !== 'message').length;
      await s.type(titles[k], st.title);
    }
  }
  await s.screenshot('c1-builder');
  await s.click(await s.byTestId('scenario-save'));
  await s.waitFor('[data-testid="scenario-row"]', 'Sau mua hàng');

  // Enrol the customer, after looking at the plan.
  await s.click(await s.byTestId('nav-customers'));
  await openCustomer('tuan', 'Phạm Minh Tuấn');
  await s.click(await s.byTestId('scenario-enroll'));
  const picker = await s.byTestId('scenario-enroll-select');
  await s.setValue(picker, await optionValue(picker, 'Sau mua hàng'));
  await new Promise((r) => setTimeout(r, 800));
  await s.screenshot('c2-plan');
  await s.click(await s.byTestId('scenario-enroll-confirm'));
  const enrolledAt = Date.now();
  await s.waitFor('[data-testid="enrollment-row"]', 'active');

  // The first message arrives at once.
  await waitFor('the first message', async () => (await tg.sent()).length === 1, 20_000);
  assert.equal((await tg.sent())[0].text, 'Cảm ơn anh Tuấn đã mua hàng!');
  await s.screenshot('c3-enrolled');

  // The app is killed and started again on the same data.
  await s.close();
  s = await launch({ env, dataDir });

  // About a minute after the first message, the task is in Today (the window refreshes by itself).
  await s.click(await s.byTestId('nav-today'));
  await s.waitFor('[data-testid="today-task"]', 'Gọi hỏi thăm anh Tuấn', 100_000);
  const taskSeconds = (Date.now() - enrolledAt) / 1000;
  assert.ok(taskSeconds >= 55, `the task did not come early (${taskSeconds} s)`);
  await s.screenshot('c4-today-task');

  // About two minutes after the start, the second message.
  await waitFor('the second message', async () => (await tg.sent()).length >= 2, 100_000);
  const msgSeconds = (Date.now() - enrolledAt) / 1000;
  assert.ok(msgSeconds >= 115, `the second message did not come early (${msgSeconds} s)`);
  // A little longer: nothing else may arrive.
  await new Promise((r) => setTimeout(r, 5000));
  const sent = await tg.sent();
  assert.deepEqual(
    sent.map((m) => m.text),
    ['Cảm ơn anh Tuấn đã mua hàng!', 'Anh Tuấn dùng sản phẩm thấy thế nào ạ?'],
    'each message exactly once',
  );
  assert.ok(sent.every((m) => m.chat_id === 5151));

  await s.click(await s.byTestId('nav-customers'));
  await openCustomer('tuan', 'Phạm Minh Tuấn');
  await s.waitFor('[data-testid="enrollment-row"]', 'completed', 20_000);
  await s.screenshot('c5-completed');
});
