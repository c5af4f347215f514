// Segments and campaigns end to end on the real binary with the local Telegram server: a segment
// (a tag and "no contact in 30 days") with its live count, a campaign to it over Telegram where
// one customer has no Telegram and one asked not to be contacted (both skipped, reasons shown),
// the report's numbers, and the same run started again sending nothing more.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitFor } from './webdriver.mjs';
import { startFakeTelegram } from './fake-telegram.mjs';
import { ELEMENT, optionValue } from './helpers.mjs';

const TOKEN = '555111:E2E-CAMPAIGN';
let s;
let tg;

before(async () => {
  tg = await startFakeTelegram(TOKEN, 'tend_campaign_bot');
  s = await launch({ env: { TEND_TELEGRAM_API_BASE: tg.base } });
});

after(async () => {
  if (s) await s.close();
  if (tg) tg.stop();
});

async function newCustomer({ name, phone, chat, tags, doNotContact }) {
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), name);
  await s.type(await s.byTestId('customer-form-phone'), phone);
  if (chat) await s.type(await s.byTestId('customer-form-telegram-chat-id'), chat);
  if (tags) await s.type(await s.byTestId('customer-form-tags'), tags);
  if (doNotContact) await s.click(await s.byTestId('customer-form-do-not-contact'));
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', name);
}

/** An attribute of an element. */
function attr(el, name) {
  return s.script('return arguments[0].getAttribute(arguments[1])', { [ELEMENT]: el }, name);
}

/** The campaign status block's numbers. */
async function status() {
  const el = await s.byTestId('campaign-status');
  const read = (name) => attr(el, `data-${name}`).then(Number);
  return {
    sent: await read('sent'),
    failed: await read('failed'),
    skipped: await read('skipped'),
    queued: await read('queued'),
  };
}

test('a campaign to a segment reaches each reachable customer once and says why not the others', async () => {
  await s.click(await s.byTestId('nav-settings'));
  await s.type(await s.byTestId('settings-telegram-token'), TOKEN);
  await s.type(await s.byTestId('settings-my-name'), 'Lan');
  await s.click(await s.byTestId('settings-save'));

  await newCustomer({ name: 'Nguyễn Văn An', phone: '0912 000 001', chat: '5001', tags: 'Tri ân' });
  await newCustomer({ name: 'Trần Thị Bình', phone: '0912 000 002', chat: '5002', tags: 'Tri ân' });
  await newCustomer({ name: 'Lê Văn Cường', phone: '0912 000 003', tags: 'Tri ân' });
  await newCustomer({ name: 'Phạm Thị Dung', phone: '0912 000 004', chat: '5004', tags: 'Tri ân', doNotContact: true });
  await newCustomer({ name: 'Hoàng Văn Em', phone: '0912 000 005', chat: '5005' });

  await s.click(await s.byTestId('nav-templates'));
  await s.click(await s.byTestId('template-new'));
  await s.type(await s.byTestId('template-form-name'), 'Tri ân cuối năm');
  await s.setValue(await s.byTestId('template-form-channel'), 'telegram');
  await s.type(await s.byTestId('template-form-body'), 'Chào {{customer.given_name}}, cảm ơn anh/chị đã đồng hành!');
  await s.click(await s.byTestId('template-form-save'));
  await s.waitFor('[data-testid="template-row"]', 'Tri ân cuối năm');

  // The segment: tagged "Tri ân" and no contact in 30 days; its count while editing.
  await s.click(await s.byTestId('nav-campaigns'));
  await s.click(await s.byTestId('segment-new'));
  await s.type(await s.byTestId('segment-form-name'), 'Tri ân chưa liên hệ');
  await s.setValue(await s.byTestId('segment-form-match'), 'all');
  await s.click(await s.byTestId('segment-criterion-add'));
  await s.setValue(await s.byTestId('segment-criterion-field'), 'tag');
  const tagValue = await s.byTestId('segment-criterion-value');
  await s.setValue(tagValue, await optionValue(s, tagValue, 'Tri ân'));
  await s.click(await s.byTestId('segment-criterion-add'));
  const fields = await s.findAll('[data-testid="segment-criterion-field"]');
  await s.setValue(fields[1], 'no_contact_days');
  const values = await s.findAll('[data-testid="segment-criterion-value"]');
  await s.clear(values[1]);
  await s.type(values[1], '30');
  await s.waitFor('[data-testid="segment-count"]', '4');
  await s.screenshot('c1-segment');
  await s.click(await s.byTestId('segment-form-save'));
  await s.waitFor('[data-testid="segment-row"]', 'Tri ân chưa liên hệ');
  const row = await s.byTestId('segment-row');
  await waitFor('the segment row count', async () =>
    (await s.text((await s.findAll('[data-testid="segment-count"]', row))[0])).includes('4'),
  );

  // The campaign over Telegram.
  await s.click(await s.byTestId('campaign-new'));
  await s.type(await s.byTestId('campaign-form-name'), 'Tri ân cuối năm');
  const seg = await s.byTestId('campaign-form-segment');
  await s.setValue(seg, await optionValue(s, seg, 'Tri ân chưa liên hệ'));
  await s.setValue(await s.byTestId('campaign-form-channel'), 'telegram');
  const template = await s.byTestId('campaign-form-template');
  await s.setValue(template, await optionValue(s, template, 'Tri ân cuối năm'));
  await s.click(await s.byTestId('campaign-form-save'));

  // The preview: 2 by Telegram, 2 skipped with their reasons.
  await s.waitFor('[data-testid="campaign-preview"]', '2');
  await waitFor('both skip reasons', async () => {
    const reasons = await s.findAll('[data-testid="campaign-preview-reason"]');
    const kinds = await Promise.all(reasons.map((r) => attr(r, 'data-reason')));
    return kinds.includes('no_channel') && kinds.includes('do_not_contact');
  });
  await s.screenshot('c2-preview');

  await s.click(await s.byTestId('campaign-start'));
  await s.click(await s.byTestId('campaign-start-confirm'));
  await waitFor('two sent, two skipped', async () => {
    const n = await status().catch(() => null);
    return n && n.sent === 2 && n.skipped === 2 && n.queued === 0 && n.failed === 0;
  }, 30_000);
  await s.screenshot('c3-report');
  const sent = await tg.sent();
  assert.deepEqual(sent.map((m) => m.chat_id).sort(), [5001, 5002]);
  assert.equal(sent[0].text.startsWith('Chào '), true);

  // Started again: the same run, nobody gets a second message.
  await s.click(await s.byTestId('campaign-start'));
  await s.click(await s.byTestId('campaign-start-confirm'));
  await waitFor('the run taken up again and done', async () => {
    const badge = await s.byTestId('campaign-status-badge');
    return (await attr(badge, 'data-status')) === 'done';
  }, 30_000);
  const again = await status();
  assert.deepEqual(again, { sent: 2, failed: 0, skipped: 2, queued: 0 });
  assert.equal((await tg.sent()).length, 2);
});
