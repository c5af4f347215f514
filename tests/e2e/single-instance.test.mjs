// A second launch of Tend on the same machine hands over to the running window and exits,
// instead of opening a second store on the same database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

test('a second launch exits at once and leaves the first running', () => {
  const app = process.env.TEND_APP;
  assert.ok(app, 'TEND_APP names the binary');
  const dataDir = mkdtempSync(join(tmpdir(), 'tend-single-'));
  // Both launches share one D-Bus session, as two launches on one desktop do.
  const script = `
    "$TEND_APP" 2>/dev/null & first=$!
    sleep 4
    start=$(date +%s%N)
    timeout 20 "$TEND_APP" 2>/dev/null; echo "second_exit=$?"
    echo "second_ms=$(( ($(date +%s%N) - start) / 1000000 ))"
    if kill -0 $first 2>/dev/null; then echo first_alive=yes; else echo first_alive=no; fi
    kill $first 2>/dev/null; wait $first 2>/dev/null; true`;
  const env = { ...process.env, TEND_DATA_DIR: dataDir };
  delete env.DISPLAY; // with-display.sh starts a private Xvfb
  const r = spawnSync(join(here, 'with-display.sh'), ['bash', '-c', script], {
    env,
    encoding: 'utf8',
    timeout: 60000,
  });
  const out = Object.fromEntries(
    r.stdout
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => l.split('=')),
  );
  assert.equal(out.second_exit, '0', `the second launch exits cleanly: ${r.stdout}${r.stderr}`);
  assert.ok(Number(out.second_ms) < 10000, `and at once (${out.second_ms} ms)`);
  assert.equal(out.first_alive, 'yes', 'the first window keeps running');
});
