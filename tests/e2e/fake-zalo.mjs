// Starts the local stand-in for Zalo (OA API, OAuth and business API: crates/tend-fakes) for a
// test file.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Starts the fake Zalo; resolves to { base, env, sent(), templateSent(), userSays(), … }. */
export async function startFakeZalo({ appId = 'app1', secret = 'secret', access = 'access-0', refresh = 'refresh-0' } = {}) {
  const bin = process.env.FAKE_ZALO;
  if (!bin) throw new Error('FAKE_ZALO must name the tend-fake-zalo binary (make test-e2e sets it)');
  const proc = spawn(bin, ['0', appId, secret, access, refresh], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.once('exit', () => proc.kill());
  const base = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (l) => {
      if (l.startsWith('listening ')) resolve(l.slice('listening '.length).trim());
    });
    proc.once('exit', (code) => reject(new Error(`the fake Zalo exited with ${code}`)));
  });
  const get = async (path) => (await fetch(`${base}${path}`)).json();
  return {
    base,
    /** The environment that points Tend at this fake. */
    env: { TEND_ZALO_API_BASE: base, TEND_ZALO_OAUTH_BASE: base, TEND_ZALO_BUSINESS_API_BASE: base },
    /** Consultation messages delivered: [{ user_id, text, quote_message_id }]. */
    sent: () => get('/_fake/sent'),
    /** Template messages delivered: [{ phone, template_id, template_data, tracking_id, msg_id }]. */
    templateSent: () => get('/_fake/template_sent'),
    /** A user writes to the OA; resolves to Zalo's message id. */
    async userSays(userId, name, text) {
      return (await post(`${base}/_fake/user_says`, { user_id: userId, name, text })).message_id;
    },
    /** The OA gets an approved template with these [name, max length] parameters. */
    addTemplate: (id, name, params) => post(`${base}/_fake/template`, { id, name, params }),
    /** Zalo answers -230 (outside the 7-day window) for this user. */
    outsideWindow: (userId) => post(`${base}/_fake/outside_window`, { user_id: userId }),
    stop: () => proc.kill(),
  };
}

async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}
