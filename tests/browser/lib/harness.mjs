// Shared helpers: start the Tsunagu server on a demo database, launch Debian's
// Chromium through playwright-core, run axe-core, drive the keyboard.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const testDir = dirname(here);
export const repoRoot = resolve(testDir, '..', '..');
export const artifactsDir = join(testDir, 'artifacts');

export const TSUNAGU_BIN = process.env.TSUNAGU_BIN || join(repoRoot, 'target', 'debug', 'tsunagu');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const DEMO_TIMEOUT_MS = 180_000;
const STARTUP_TIMEOUT_MS = 60_000;

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const require = createRequire(import.meta.url);
export const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Memoise an async function so every test shares one start-up (and its error). */
export function once(fn) {
  let promise;
  const get = () => (promise ??= fn());
  get.started = () => promise !== undefined;
  return get;
}

/**
 * The demo server and a browser for one test file: started by the first test that asks
 * (`await env()`), stopped after the file's last test.
 */
export function sharedEnvironment() {
  const env = once(async () => {
    const server = await startServer();
    try {
      return { server, browser: await launchBrowser() };
    } catch (err) {
      await server.stop();
      throw err;
    }
  });
  after(async () => {
    if (!env.started()) return;
    const { server, browser } = await env().catch(() => ({}));
    await browser?.close();
    await server?.stop();
  });
  return env;
}

function checkBinary() {
  if (!existsSync(TSUNAGU_BIN)) {
    throw new Error(
      `Tsunagu binary not found at ${TSUNAGU_BIN}. Build it (cargo build -p tsunagu-cli) or set TSUNAGU_BIN.`,
    );
  }
  try {
    accessSync(TSUNAGU_BIN, constants.X_OK);
  } catch {
    throw new Error(`Tsunagu binary at ${TSUNAGU_BIN} is not executable.`);
  }
}

function tail(lines, n = 40) {
  return lines.slice(-n).join('\n') || '(nothing)';
}

/** Run `tsunagu demo --no-serve` to build a demo database; resolves on exit 0. */
function buildDemo(databaseUrl) {
  const args = ['demo', '--no-serve', '--database', databaseUrl];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(TSUNAGU_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (d) => output.push(...String(d).split('\n')));
    child.stderr.on('data', (d) => output.push(...String(d).split('\n')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`tsunagu ${args.join(' ')}\` did not finish within ${DEMO_TIMEOUT_MS / 1000}s.\n${tail(output)}`));
    }, DEMO_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${TSUNAGU_BIN}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else reject(new Error(`\`tsunagu ${args.join(' ')}\` failed (exit ${code ?? signal}).\n${tail(output)}`));
    });
  });
}

/**
 * Build a demo database in a fresh temporary directory and start
 * `tsunagu serve` on an ephemeral port. The base URL is taken from the
 * `listening on http://127.0.0.1:<port>` line the server prints on stdout.
 */
export async function startServer() {
  checkBinary();
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-browser-'));
  const databaseUrl = `sqlite://${join(dir, 'demo.sqlite3')}`;
  try {
    await buildDemo(databaseUrl);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const args = ['serve', '--database', databaseUrl, '--listen', '127.0.0.1:0'];
  const child = spawn(TSUNAGU_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdoutLines = [];
  const stderrLines = [];
  const keep = (list, line) => {
    list.push(line);
    if (list.length > 200) list.shift();
  };
  const stdout = createInterface({ input: child.stdout });
  const stderr = createInterface({ input: child.stderr });
  stderr.on('line', (line) => keep(stderrLines, line));

  const exited = new Promise((r) => child.once('close', (code, signal) => r({ code, signal })));
  let exitStatus;
  exited.then((s) => (exitStatus = s));

  const stop = async () => {
    if (exitStatus === undefined) {
      child.kill('SIGTERM');
      const timeout = new Promise((r) => setTimeout(r, 5_000, 'timeout'));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Never leave a server behind if the test process exits abruptly.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const baseUrl = await new Promise((resolvePromise, reject) => {
    const describe = () =>
      `stdout:\n${tail(stdoutLines)}\nstderr:\n${tail(stderrLines)}` +
      (stderrLines.some((l) => /listening on http/.test(l))
        ? '\n(note: the "listening on" line was printed on stderr; it must be on stdout)'
        : '');
    const timer = setTimeout(() => {
      reject(new Error(`\`tsunagu ${args.join(' ')}\` printed no "listening on http://127.0.0.1:<port>" line within ${STARTUP_TIMEOUT_MS / 1000}s.\n${describe()}`));
    }, STARTUP_TIMEOUT_MS);
    stdout.on('line', (line) => {
      keep(stdoutLines, line);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]);
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${TSUNAGU_BIN}: ${err.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`\`tsunagu ${args.join(' ')}\` exited (${code ?? signal}) before listening.\n${describe()}`));
    });
  }).catch(async (err) => {
    await stop();
    process.removeListener('exit', killOnExit);
    throw err;
  });

  return {
    baseUrl,
    url: (path) => new URL(path, baseUrl).href,
    async stop() {
      await stop();
      process.removeListener('exit', killOnExit);
    },
  };
}

/** Launch Debian's Chromium; fails with a clear message when it is missing. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new Error(`Chromium at ${CHROMIUM_PATH} failed to launch: ${err.message}`);
  }
}

/** A fresh context (no cookies) and page, with CSP violations recorded. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.cspViolations = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) page.cspViolations.push(msg.text());
  });
  return { context, page };
}

/**
 * Perform `action` (a click or a key press) that loads a new document and
 * return the last main-frame navigation response (after redirects).
 */
export async function navigation(page, action) {
  const responses = [];
  const onResponse = (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) responses.push(response);
  };
  page.on('response', onResponse);
  try {
    await Promise.all([page.waitForEvent('load'), action()]);
  } finally {
    page.off('response', onResponse);
  }
  const response = responses.at(-1);
  if (!response) throw new Error(`no document response after navigation to ${page.url()}`);
  return response;
}

/** Run axe-core with the WCAG 2.x A/AA tags; returns the violations. */
export async function runAxe(page) {
  // page.evaluate runs through the DevTools protocol, which the page's CSP does not block.
  await page.evaluate(axeSource);
  return page.evaluate(
    async (tags) => {
      const results = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    },
    AXE_TAGS,
  );
}

export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      - ${n.target}\n        ${String(n.summary ?? '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      return `  * ${v.id} [${v.impact}] ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

export async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A short description of the focused element, for failure messages. */
export function describeFocus(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '<body> (nothing focused)';
    const attrs = ['id', 'name', 'type', 'href', 'class']
      .filter((a) => el.hasAttribute(a))
      .map((a) => `${a}="${el.getAttribute(a)}"`)
      .join(' ');
    const text = (el.innerText || el.value || '').trim().slice(0, 40);
    return `<${el.tagName.toLowerCase()}${attrs ? ' ' + attrs : ''}>${text}`;
  });
}

/**
 * Press Tab (at most `max` times) until `predicate(document.activeElement, arg)`
 * holds in the page. Returns the number of presses.
 */
export async function tabUntil(page, what, predicate, arg, max = 40) {
  const check = `(() => { const el = document.activeElement; return !!el && (${predicate.toString()})(el, ${JSON.stringify(arg ?? null)}); })()`;
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(check)) return presses;
  }
  throw new Error(`pressed Tab ${max} times on ${page.url()} without reaching ${what}; focus is on ${await describeFocus(page)}`);
}

/** The focused element must show a visible focus indicator (WCAG 2.4.7). */
export async function focusIndicator(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    return { visible: outline || shadow, outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, boxShadow: s.boxShadow };
  });
}

/** Signs in through the sign-in form (demo password); resolves once the next page has loaded. */
export async function signIn(page, url, login = 'admin') {
  await page.goto(url('/login'));
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'tsunagu-demo-2024');
  await Promise.all([page.waitForNavigation(), page.press('input[name="password"]', 'Enter')]);
  const failed = await page.locator('.error-summary').count();
  if (failed) throw new Error(`signing in as ${login} failed: ${await page.locator('.error-summary').innerText()}`);
}
