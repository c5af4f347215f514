// Background work that fails is shown, not hidden: a wrong bot token makes the Telegram reader
// fail against the local Telegram server; the navigation says so in Vietnamese, Settings lists
// every worker, and the line goes away as soon as the right token is saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitFor } from './webdriver.mjs';
import { startFakeTelegram } from './fake-telegram.mjs';

const TOKEN = '555:TOKEN';
let s;
let tg;

before(async () => {
  tg = await startFakeTelegram(TOKEN, 'tend_shop_bot');
  s = await launch({ env: { TEND_TELEGRAM_API_BASE: tg.base } });
});

after(async () => {
  if (s) await s.close();
  if (tg) tg.stop();
});

async function saveToken(token) {
  await s.click(await s.byTestId('nav-settings'));
  const field = await s.byTestId('settings-telegram-token');
  await s.clear(field);
  await s.type(field, token);
  await s.click(await s.byTestId('settings-save'));
}

async function statusLine() {
  return s.find('[data-testid="worker-status"]');
}

test('a failing worker shows in the navigation, and the line goes once it recovers', async () => {
  assert.equal(await statusLine(), null, 'nothing is failing at first');

  await saveToken('555:WRONG');
  const line = await s.waitFor('[data-testid="worker-status"]', 'Telegram', 15000);
  const text = await s.text(line);
  assert.match(text, /Đọc tin trả lời Telegram/, text);
  assert.match(text, /lỗi \d+ lần liên tiếp/, text);

  const rows = await s.findAll('[data-testid="worker-health-row"]');
  assert.equal(rows.length, 4, 'Settings lists the four workers');
  await s.screenshot('w1-worker-failing');

  await saveToken(TOKEN);
  await waitFor('the status line to go', async () => (await statusLine()) === null, 15000);
  await s.screenshot('w2-worker-recovered');
});
