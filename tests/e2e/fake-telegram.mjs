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
    stop: () => proc.kill(),
  };
}
