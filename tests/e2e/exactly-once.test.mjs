// Never twice, never to the wrong person, on the real binary:
// - Telegram records a message as delivered, then answers only after the app's request timeout
//   (TEND_REQUEST_TIMEOUT_SECS=1): the message ends `needs_manual` and exactly one arrived.
// - A customer deleted while a scenario's message to them waits for a retry receives nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitFor } from './webdriver.mjs';
import { startFakeTelegram } from './fake-telegram.mjs';
import { ELEMENT, openCustomer, optionValue as option } from './helpers.mjs';

const TOKEN = '888000:E2E-ONCE';
let s;
let tg;

after(async () => {
  if (s) await s.close();
  if (tg) tg.stop();
});

const optionValue = (select, text) => option(s, select, text);

/** The outbox row of `name`, once it shows `status`. */
async function outboxRow(name, status, ms = 20_000) {
  await s.click(await s.byTestId('nav-outbox'));
  return waitFor(`${name}'s message ${status}`, async () => {
    for (const row of await s.findAll('[data-testid="outbox-row"]')) {
      const text = await s.text(row).catch(() => '');
      if (text.includes(name) && text.includes(status)) return row;
    }
    return null;
  }, ms);
}

async function newCustomer(name, phone, chatId) {
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), name);
  await s.type(await s.byTestId('customer-form-phone'), phone);
  await s.type(await s.byTestId('customer-form-telegram-chat-id'), chatId);
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', name);
}

test('a lost answer is needs_manual with one delivery; a deleted customer gets nothing', { timeout: 3 * 60_000 }, async () => {
  tg = await startFakeTelegram(TOKEN, 'tend_once_bot');
  s = await launch({ env: { TEND_TELEGRAM_API_BASE: tg.base, TEND_REQUEST_TIMEOUT_SECS: '1' } });

  await s.click(await s.byTestId('nav-settings'));
  await s.type(await s.byTestId('settings-telegram-token'), TOKEN);
  await s.click(await s.byTestId('settings-save'));
  // Saved: the token field now says a token is kept.
  await waitFor('the token saved', async () => {
    const field = await s.byTestId('settings-telegram-token');
    return (await s.script('return arguments[0].placeholder', { [ELEMENT]: field })).length > 0;
  });

  await s.click(await s.byTestId('nav-templates'));
  await s.click(await s.byTestId('template-new'));
  await s.type(await s.byTestId('template-form-name'), 'Chào khách');
  await s.setValue(await s.byTestId('template-form-channel'), 'telegram');
  await s.type(await s.byTestId('template-form-body'), 'Chào anh {{customer.given_name}}!');
  await s.click(await s.byTestId('template-form-save'));
  await s.waitFor('[data-testid="template-row"]', 'Chào khách');

  // 1. Telegram takes the message, then answers three seconds later: after the app gave up.
  await newCustomer('Trương Văn Long', '0913 222 333', '6161');
  await tg.afterDelivery('late', 3);
  await s.click(await s.byTestId('message-new'));
  await s.setValue(await s.byTestId('message-form-channel'), 'telegram');
  const picker = await s.byTestId('message-form-template');
  await s.setValue(picker, await optionValue(picker, 'Chào khách'));
  await s.waitFor('[data-testid="message-preview"]', 'Chào anh Long!');
  await s.click(await s.byTestId('message-send'));
  await outboxRow('Trương Văn Long', 'needs_manual');
  await s.screenshot('x1-needs-manual');
  // Long enough for the late answer and for any retry: still exactly one delivered.
  await new Promise((r) => setTimeout(r, 4000));
  await outboxRow('Trương Văn Long', 'needs_manual');
  assert.deepEqual(
    (await tg.sent()).map((m) => [m.chat_id, m.text]),
    [[6161, 'Chào anh Long!']],
    'delivered exactly once, never retried blindly',
  );

  // 2. A scenario whose message meets a rate limit and waits eight seconds for its retry.
  await s.click(await s.byTestId('nav-scenarios'));
  await s.click(await s.byTestId('scenario-new'));
  await s.type(await s.byTestId('scenario-form-name'), 'Chào mừng');
  if ((await s.findAll('[data-testid="step-form-kind"]')).length === 0) await s.click(await s.byTestId('step-add'));
  await s.setValue(await s.byTestId('step-form-kind'), 'message');
  for (const id of ['step-form-delay-days', 'step-form-delay-hours', 'step-form-delay-minutes']) {
    const field = await s.byTestId(id);
    await s.clear(field);
    await s.type(field, '0');
  }
  const template = await s.byTestId('step-form-template');
  await s.setValue(template, await optionValue(template, 'Chào khách'));
  await s.setValue(await s.byTestId('step-form-channel'), 'telegram');
  await s.click(await s.byTestId('scenario-save'));
  await s.waitFor('[data-testid="scenario-row"]', 'Chào mừng');

  await newCustomer('Mai Thị Hạnh', '0914 444 555', '7171');
  await tg.nextAnswer(429, {
    ok: false,
    error_code: 429,
    description: 'Too Many Requests: retry after 8',
    parameters: { retry_after: 8 },
  });
  await s.click(await s.byTestId('scenario-enroll'));
  const scenarios = await s.byTestId('scenario-enroll-select');
  await s.setValue(scenarios, await optionValue(scenarios, 'Chào mừng'));
  await s.click(await s.byTestId('scenario-enroll-confirm'));
  await outboxRow('Mai Thị Hạnh', 'queued');
  const limitedAt = Date.now();

  // Deleted while the message waits: it is cancelled, and nothing reaches her.
  await openCustomer(s, 'hanh', 'Mai Thị Hạnh');
  await s.click(await s.byTestId('customer-delete'));
  await s.click(await s.byTestId('customer-delete-confirm'));
  await outboxRow('Mai Thị Hạnh', 'cancelled');
  await s.screenshot('x2-cancelled');
  // Past the time the retry would have gone out.
  await new Promise((r) => setTimeout(r, Math.max(0, limitedAt + 10_000 - Date.now())));
  const sent = await tg.sent();
  assert.ok(!sent.some((m) => m.chat_id === 7171), `nothing reached the deleted customer: ${JSON.stringify(sent)}`);
  assert.equal(sent.length, 1);
});
