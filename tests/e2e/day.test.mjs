// A salesperson's day in fewer clicks, on the real binary:
// - a call logged from a task in Today finishes that task (the form carries it, ticked);
// - a template that needs the salesperson's own name says so and points to Settings;
// - a personal Zalo step of the starter scenario waits in Today with its text, and the scenario
//   goes on only once the salesperson says it was sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitFor } from './webdriver.mjs';
import { isoDate, openCustomer, optionValue } from './helpers.mjs';

let s;

before(async () => {
  s = await launch();
});

after(async () => {
  if (s) await s.close();
});

async function taskTitles() {
  const titles = [];
  for (const t of await s.findAll('[data-testid="today-task"]')) titles.push(await s.text(t).catch(() => ''));
  return titles;
}

test('a call logged from its task in Today finishes the task', async () => {
  await s.click(await s.byTestId('nav-customers'));
  await s.click(await s.byTestId('customer-new'));
  await s.type(await s.byTestId('customer-form-name'), 'Huỳnh Văn Phúc');
  await s.type(await s.byTestId('customer-form-phone'), '0938 111 222');
  await s.click(await s.byTestId('customer-form-save'));
  await s.waitFor('[data-testid="customer-detail-name"]', 'Huỳnh Văn Phúc');

  // A follow-up due today.
  await s.click(await s.byTestId('interaction-new'));
  await s.setValue(await s.byTestId('interaction-form-kind'), 'visit');
  const next = await s.byTestId('interaction-form-next-action');
  await s.clear(next);
  await s.type(next, 'Gọi lại cho anh Phúc');
  await s.setValue(await s.byTestId('interaction-form-next-date'), isoDate(new Date()));
  await s.click(await s.byTestId('interaction-form-save'));
  await s.waitFor('[data-testid="timeline-item"]', '');

  // From Today: log the call on that task.
  await s.click(await s.byTestId('nav-today'));
  const row = await s.waitFor('[data-testid="today-task"]', 'Gọi lại cho anh Phúc');
  await s.click(await s.find('[data-testid="task-log-call"]', row));
  const complete = await s.byTestId('interaction-form-complete-task');
  assert.equal(await s.script('return arguments[0].checked', { 'element-6066-11e4-a52e-4f735466cecf': complete }), true);
  await s.setValue(await s.byTestId('interaction-form-outcome'), 'no_answer');
  await s.screenshot('d1-log-from-task');
  await s.click(await s.byTestId('interaction-form-save'));

  // Back in Today, the task is gone; the suggested "call again" tomorrow is not today's.
  await waitFor('the task to leave Today', async () => {
    const titles = await taskTitles();
    return !titles.some((t) => t.includes('Gọi lại cho anh Phúc'));
  }, 15_000);
  await s.screenshot('d2-today-after');
});

test('a template needing my own name points to Settings', async () => {
  await s.click(await s.byTestId('nav-templates'));
  await s.click(await s.byTestId('template-new'));
  await s.type(await s.byTestId('template-form-name'), 'Giới thiệu');
  await s.setValue(await s.byTestId('template-form-channel'), 'zalo');
  await s.type(await s.byTestId('template-form-body'), 'Chào anh {{customer.given_name}}, em là {{me.name}}.');
  await s.click(await s.byTestId('template-form-save'));
  await s.waitFor('[data-testid="template-row"]', 'Giới thiệu');

  // The list refreshes when background work changes data: click until the detail opens.
  await openCustomer(s, 'phuc', 'Huỳnh Văn Phúc');
  await s.click(await s.byTestId('message-new'));
  await s.setValue(await s.byTestId('message-form-channel'), 'zalo_personal');
  const picker = await s.byTestId('message-form-template');
  await s.setValue(picker, await optionValue(s, picker, 'Giới thiệu'));
  const notice = await s.waitFor('[data-testid="message-my-details"]', 'Cài đặt');
  await s.screenshot('d3-my-name-missing');
  assert.doesNotMatch(await s.text(notice), /Huỳnh Văn Phúc/, 'not blamed on the customer');
  await s.click(await s.byTestId('message-open-settings'));
  await s.waitFor('[data-testid="settings-my-name"]', '');
});

test('a personal Zalo step waits in Today and counts as done once I say it was sent', async () => {
  // My name, which the starter thank-you signs with (Settings is open from the test before).
  const myName = await s.byTestId('settings-my-name');
  await s.clear(myName);
  await s.type(myName, 'Minh');
  await s.click(await s.byTestId('settings-save'));
  await s.waitFor('[data-testid="toast-success"]', 'Đã lưu cài đặt');

  // The starter scenario: a thank-you from my own Zalo at once, a call after 3 days, ...
  await openCustomer(s, 'phuc', 'Huỳnh Văn Phúc');
  await s.click(await s.byTestId('scenario-enroll'));
  const picker = await s.byTestId('scenario-enroll-select');
  await s.setValue(picker, await optionValue(s, picker, 'Chăm sóc sau bán hàng'));
  await s.click(await s.byTestId('scenario-enroll-confirm'));
  await s.waitFor('[data-testid="enrollment-row"]', 'active');

  // ... which Today shows with the prepared text, first, with its count in the navigation.
  await s.click(await s.byTestId('nav-today'));
  const item = await s.waitFor('[data-testid="today-assisted"]', 'anh/chị Phúc, em là Minh', 30_000);
  assert.match(await s.text(item), /Zalo cá nhân/);
  await s.waitFor('[data-testid="nav-today-needs-you"]', '1');
  const copy = await s.find('[data-testid="today-assisted-copy"]', item);
  await s.click(copy);
  await waitFor('the text copied', async () => (await s.text(copy)).includes('Đã chép'));
  await s.screenshot('d4-today-personal-step');

  // Not sent yet: the scenario still waits on this message.
  await openCustomer(s, 'phuc', 'Huỳnh Văn Phúc');
  await s.waitFor('[data-testid="enrollment-next"]', 'Zalo cá nhân');
  assert.match(await s.text(await s.byTestId('enrollment-row')), /Bước 1\/3/);

  // I sent it from my phone and say so: it leaves Today and the scenario moves on to the call.
  await s.click(await s.byTestId('nav-today'));
  const again = await s.waitFor('[data-testid="today-assisted"]', 'anh/chị Phúc, em là Minh');
  await s.click(await s.find('[data-testid="today-assisted-sent"]', again));
  await waitFor('the item to leave Today', async () => (await s.findAll('[data-testid="today-assisted"]')).length === 0, 15_000);
  await openCustomer(s, 'phuc', 'Huỳnh Văn Phúc');
  await s.waitFor('[data-testid="enrollment-next"]', 'Gọi hỏi thăm khách dùng sản phẩm', 20_000);
  assert.match(await s.text(await s.byTestId('enrollment-row')), /Bước 2\/3/);
});
