// A small W3C WebDriver client over fetch, and the harness that starts Xvfb, tauri-driver and
// the real Tend binary for end-to-end tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const here = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = join(here, 'artifacts');
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** Polls `fn` until it returns a truthy value or `ms` pass; the error names `what`. */
export async function waitFor(what, fn, ms = 10000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function startXvfb() {
  if (process.env.DISPLAY_E2E_EXTERNAL) return { display: process.env.DISPLAY_E2E_EXTERNAL, stop() {} };
  for (let n = 90; n < 130; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const proc = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    return { display: `:${n}`, ready: () => existsSync(`/tmp/.X11-unix/X${n}`), stop: () => proc.kill() };
  }
  throw new Error('no free X display number');
}

/**
 * Starts a display, a D-Bus session and tauri-driver with a fresh data directory, and returns a
 * session on the real app. `close()` ends all of it.
 */
export async function launch(options = {}) {
  // tauri-driver now and then never answers on its port (seen once in a full run under load):
  // a second try on another port, rather than a failed test.
  try {
    return await launchOnce(options);
  } catch (e) {
    if (!String(e.message).startsWith('timed out waiting for tauri-driver')) throw e;
    return launchOnce({ ...options, port: undefined });
  }
}

async function launchOnce({ port = 4444 + Math.floor(Math.random() * 400) * 2, env = {}, dataDir } = {}) {
  const app = process.env.TEND_APP;
  if (!app) throw new Error('TEND_APP must name the Tend binary (make test-e2e sets it)');
  // A restart passes the previous session's data directory.
  dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'tend-e2e-'));
  const x = startXvfb();
  if (x.ready) await waitFor('Xvfb', x.ready);
  const driver = spawn(
    'dbus-run-session',
    ['--', 'tauri-driver', '--port', String(port), '--native-port', String(port + 1)],
    {
      env: {
        ...process.env,
        ...env,
        DISPLAY: x.display,
        TEND_DATA_DIR: dataDir,
        // The window's own storage (the chosen language lives there) per data directory, so no
        // run inherits another's choices.
        XDG_DATA_HOME: join(dataDir, 'webview'),
        NO_AT_BRIDGE: '1',
        WEBKIT_DISABLE_DMABUF_RENDERER: '1',
        LANG: env.LANG ?? 'vi_VN.UTF-8',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  let driverLog = '';
  driver.stderr.on('data', (d) => (driverLog += d));
  const stopAll = () => {
    try {
      process.kill(-driver.pid, 'SIGKILL');
    } catch {}
    x.stop();
  };
  // Nothing may outlive the test run, even when it fails half-way.
  process.once('exit', stopAll);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor('tauri-driver', async () => (await fetch(`${base}/status`)).ok, 20000);
    const res = await fetch(`${base}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capabilities: { alwaysMatch: { 'tauri:options': { application: app } } } }),
      signal: AbortSignal.timeout(60000),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`session refused: ${JSON.stringify(body)}`);
    const session = new Session(base, body.value.sessionId);
    session.dataDir = dataDir;
    session.display = x.display;
    session.close = async () => {
      await fetch(`${base}/session/${session.id}`, { method: 'DELETE', signal: AbortSignal.timeout(10000) }).catch(() => {});
      stopAll();
    };
    await waitFor('the app window', () => session.find('[data-testid="nav-today"]'), 20000);
    return session;
  } catch (e) {
    stopAll();
    throw new Error(`${e.message}\n--- tauri-driver said:\n${driverLog.slice(-3000)}`);
  }
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  async cmd(method, path, body) {
    const res = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      signal: AbortSignal.timeout(30000),
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  }

  /** The first element matching `css`, or null. */
  async find(css, from) {
    const all = await this.findAll(css, from);
    return all[0] ?? null;
  }

  async findAll(css, from) {
    const path = from ? `/element/${from}/elements` : '/elements';
    const found = await this.cmd('POST', path, { using: 'css selector', value: css });
    return found.map((e) => e[ELEMENT]);
  }

  /** Waits for an element whose text includes `text` (when given), and returns it. */
  async waitFor(css, text, ms = 10000) {
    return waitFor(`${css}${text ? ` with “${text}”` : ''}`, async () => {
      for (const el of await this.findAll(css)) {
        if (!text || (await this.text(el)).includes(text)) return el;
      }
      return null;
    }, ms);
  }

  async byTestId(id) {
    return this.waitFor(`[data-testid="${id}"]`);
  }

  async click(el) {
    await this.cmd('POST', `/element/${el}/click`, {});
  }

  async type(el, text) {
    await this.cmd('POST', `/element/${el}/value`, { text });
  }

  async clear(el) {
    await this.cmd('POST', `/element/${el}/clear`, {});
  }

  async text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }

  /** The current value of an input, as the page sees it. */
  async value(el) {
    return this.script('return arguments[0].value', { [ELEMENT]: el });
  }

  async script(source, ...args) {
    return this.cmd('POST', '/execute/sync', { script: source, args });
  }

  /** Sets a <select> or a date input the way a person's choice would, firing input and change. */
  async setValue(el, value) {
    await this.script(
      `const el = arguments[0]; el.value = arguments[1];
       el.dispatchEvent(new Event('input', { bubbles: true }));
       el.dispatchEvent(new Event('change', { bubbles: true }));`,
      { [ELEMENT]: el },
      value,
    );
  }

  /**
   * Saves what the screen shows. The X server is asked directly (ImageMagick's `import`):
   * WebKitWebDriver's own screenshot command can stall under Xvfb's software rendering.
   */
  async screenshot(name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    const r = spawnSync('import', ['-window', 'root', path], {
      env: { ...process.env, DISPLAY: this.display },
      timeout: 15000,
    });
    if (r.status !== 0) throw new Error(`screenshot failed: ${r.stderr}`);
    return path;
  }
}
