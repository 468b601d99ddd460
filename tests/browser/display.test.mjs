// What a reader sees of what was typed: a note written on two lines is shown on two lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { navigation, newPage, sharedEnvironment, signIn } from './lib/harness.mjs';

const env = sharedEnvironment();

describe('display', () => {
  it('shows a support record note with its line breaks', { timeout: 120_000 }, async () => {
    const { server, browser } = await env();
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, server.url, 'worker');
      await page.goto(server.url('/persons'));
      const person = await page.locator('main table a[href^="/persons/"]').first().getAttribute('href');
      await page.goto(server.url(`${person}/timeline`));
      await page.selectOption('select[name="kind"]', { index: 1 });
      await page.fill('textarea[name="note"]', '一行目の記録\n二行目の記録');
      await navigation(page, () => page.click('form[action*="/support"] button[type="submit"]'));
      const note = page.locator('td.note', { hasText: '一行目の記録' }).first();
      assert.equal(await note.innerText(), '一行目の記録\n二行目の記録', 'the line break is shown');
    } finally {
      await context.close();
    }
  });
});
