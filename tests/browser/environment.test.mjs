// The tools themselves: Debian's Chromium starts through playwright-core and
// axe-core runs under a strict Content-Security-Policy. No server needed, so a
// failure here points at the machine, not at Tsunagu.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { launchBrowser, newPage, once, runAxe } from './lib/harness.mjs';

const browser = once(launchBrowser);
after(async () => {
  if (browser.started()) await (await browser().catch(() => null))?.close();
});

const page = (body) =>
  'data:text/html;charset=utf-8,' +
  encodeURIComponent(
    `<!doctype html><html lang="ja"><head><meta charset="utf-8">` +
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">` +
      `<title>テスト</title></head><body><main><h1>テスト</h1>${body}</main></body></html>`,
  );

describe('test environment', () => {
  it('Chromium launches and axe-core runs under a strict CSP', { timeout: 60_000 }, async () => {
    const { context, page: p } = await newPage(await browser());
    try {
      await p.goto(page('<p>こんにちは</p>'));
      assert.deepEqual(await runAxe(p), [], 'a clean page should have no violations');
      await p.goto(page('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'));
      const ids = (await runAxe(p)).map((v) => v.id);
      assert.ok(ids.includes('image-alt'), `axe-core should report image-alt, reported ${JSON.stringify(ids)}`);
    } finally {
      await context.close();
    }
  });
});
