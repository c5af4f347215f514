// Starts the local stand-in for the Telegram Bot API (crates/tend-fakes) for a test file.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Starts the fake bot; resolves to { base, sent(), stop() }. */
export async function startFakeTelegram(token, username) {
  const bin = process.env.FAKE_TELEGRAM;
  if (!bin) throw new Error('FAKE_TELEGRAM must name the tend-fake-telegram binary (make test-e2e sets it)');
  const proc = spawn(bin, ['0', token, username], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.once('exit', () => proc.kill());
  const base = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (l) => {
      if (l.startsWith('listening ')) resolve(l.slice('listening '.length).trim());
    });
    proc.once('exit', (code) => reject(new Error(`the fake Telegram exited with ${code}`)));
  });
  return {
    base,
    /** Messages the fake bot delivered: [{ chat_id, text }]. */
    async sent() {
      const res = await fetch(`${base}/_fake/sent`);
      return res.json();
    },
    /** The next delivered message is recorded, then its answer comes after `secs` (or never). */
    async afterDelivery(kind, secs) {
      await post(`${base}/_fake/after_delivery`, { kind, secs });
    },
    /** The next sendMessage is answered with this status and body instead of delivering. */
    async nextAnswer(status, body) {
      await post(`${base}/_fake/next_answer`, { status, body });
    },
    stop: () => proc.kill(),
  };
}

async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
}
