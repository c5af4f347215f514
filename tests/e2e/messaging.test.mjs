// Messaging end to end on the real binary: configure the Telegram bot token in Settings, write a
// template with {{customer.given_name}}, send it from the customer screen, and see it sent in the
// outbox and on the timeline, with exactly one message received by the local Telegram server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitFor } from './webdriver.mjs';
import { startFakeTelegram } from './fake-telegram.mjs';
import { openCustomer } from './helpers.mjs';

const TOKEN = '555000:E2E-TOKEN';
let s;
let tg;

before(async () => {
  tg = await startFakeTelegram(TOKEN, 'tend_e2e_bot');
  s = await launch({ env: { TEND_TELEGRAM_API_BASE: tg.base } });
});

after(async () => {
  if (s) await s.close();
  if (tg) tg.stop();
});

test('a template sent over Telegram arrives once and shows as sent', async () => {
  // Settings: the bot token.
  await s.click(await s.byTestId('nav-settings'));
  await s.type(await s.byTestId('settings-telegram-token'), TOKEN);
  await s.type(await s.byTestId('settings-my-name'), 'Lan');
  await s.click(await s.byTestId('settings-save'));
  await new Promise((r) => setTimeout(r, 800));
  await s.screenshot('m1-settings');

  // A customer with a Telegram chat id.
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), 'Nguyễn Văn Đức');
  await s.type(await s.byTestId('customer-form-phone'), '0912 345 678');
  await s.type(await s.byTestId('customer-form-telegram-chat-id'), '4242');
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', 'Nguyễn Văn Đức');

  // A template using the given name.
  await s.click(await s.byTestId('nav-templates'));
  await s.click(await s.byTestId('template-new'));
  await s.type(await s.byTestId('template-form-name'), 'Chào khách');
  await s.setValue(await s.byTestId('template-form-channel'), 'telegram');
  await s.type(await s.byTestId('template-form-body'), 'Chào anh {{customer.given_name}}, Tend gửi lời chào!');
  await s.screenshot('m2-template');
  await s.click(await s.byTestId('template-form-save'));
  await new Promise((r) => setTimeout(r, 500));
  await s.screenshot('m2b-template-saved');
  await s.waitFor('[data-testid="template-row"]', 'Chào khách');

  // Send it from the customer screen.
  // The list may refresh under the click (background work changed data): click until it opens.
  await openCustomer(s, 'duc', 'Nguyễn Văn Đức');
  await s.click(await s.byTestId('message-new'));
  await s.setValue(await s.byTestId('message-form-channel'), 'telegram');
  const picker = await s.byTestId('message-form-template');
  const templateId = await waitFor('the template option', () =>
    s.script(
      `const o = [...arguments[0].options].find((o) => o.textContent.includes('Chào khách')); return o ? o.value : null;`,
      { 'element-6066-11e4-a52e-4f735466cecf': picker },
    ),
  );
  await s.setValue(picker, templateId);
  await s.waitFor('[data-testid="message-preview"]', 'Chào anh Đức, Tend gửi lời chào!');
  await s.screenshot('m3-compose');
  await s.click(await s.byTestId('message-send'));

  // The outbox shows it sent.
  await s.click(await s.byTestId('nav-outbox'));
  await s.waitFor('[data-testid="outbox-row"]', 'sent', 20000);
  await s.screenshot('m4-outbox');

  // The timeline shows it.
  await openCustomer(s, 'duc', 'Nguyễn Văn Đức');
  await s.waitFor('[data-testid="timeline-item"]', 'Chào anh Đức, Tend gửi lời chào!');
  await s.screenshot('m5-timeline');

  // Exactly one message reached Telegram, with the right text and chat.
  const sent = await tg.sent();
  assert.equal(sent.length, 1, JSON.stringify(sent));
  assert.equal(sent[0].chat_id, 4242);
  assert.equal(sent[0].text, 'Chào anh Đức, Tend gửi lời chào!');
});
