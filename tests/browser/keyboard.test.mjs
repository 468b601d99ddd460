// Keyboard-only journey: sign in -> skip link -> directory -> search -> agency ->
// edit phone -> save. Only page.keyboard is used to move and act; the DOM is read
// to know where focus is and what to type, never clicked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeFocus,
  focusIndicator,
  formatViolations,
  navigation,
  newPage,
  runAxe,
  screenshot,
  sharedEnvironment,
  signIn,
  tabUntil,
} from './lib/harness.mjs';

const env = sharedEnvironment();

const PHONE_FIELD = 'input[type="tel"], input[name="phone"], input[name$="_phone"], input[name$="[phone]"]';

describe('keyboard only', () => {
  it('finds an agency, edits its phone number and saves it', { timeout: 180_000 }, async () => {
    const { server, browser } = await env();
    const { context, page } = await newPage(browser);
    const focusProblems = [];
    const expectFocusIndicator = async (what) => {
      const f = await focusIndicator(page);
      if (!f.visible) focusProblems.push(`${what}: no visible focus indicator (outline ${f.outline}, box-shadow ${f.boxShadow})`);
    };
    const enter = () => navigation(page, () => page.keyboard.press('Enter'));

    try {
      // The name to search for: the first agency listed in the directory.
      await page.goto(server.url('/agencies'));
      const name = (await page.locator('main table a').first().textContent())?.trim();
      assert.ok(name, 'the /agencies results table has no agency link to take a name from');

      // 0. Sign in by keyboard: the sign-in link, the login, the password, Enter.
      await page.goto(server.url('/'));
      await tabUntil(page, 'the sign-in link', (el) => el.tagName === 'A' && new URL(el.href).pathname === '/login');
      await expectFocusIndicator('sign-in link');
      await enter();
      await tabUntil(page, 'the login field', (el) => el.matches('input[name="login"]'));
      await page.keyboard.type('admin');
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.activeElement.matches('input[name="password"]')), 'Tab from the login field should reach the password');
      await page.keyboard.type('tsunagu-demo-2024');
      await enter();
      assert.equal(new URL(page.url()).pathname, '/', `signing in should return to /, got ${page.url()}`);

      // 1. The first Tab lands on the skip link, which becomes visible.
      await page.keyboard.press('Tab');
      const skip = await page.evaluate(() => {
        const el = document.activeElement;
        const r = el.getBoundingClientRect();
        return { isSkip: el.classList.contains('skip-link'), onScreen: r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 };
      });
      assert.ok(skip.isSkip, `first Tab on / should focus the .skip-link, focused ${await describeFocus(page)}`);
      assert.ok(skip.onScreen, 'the focused .skip-link is not visible on screen');
      await expectFocusIndicator('skip link');

      // 2. Reach the agency directory link and open it.
      await tabUntil(page, 'the link to /agencies', (el) => {
        if (el.tagName !== 'A') return false;
        const u = new URL(el.href, location.href);
        return u.origin === location.origin && u.pathname.replace(/\/$/, '') === '/agencies' && u.search === '';
      });
      await expectFocusIndicator('directory link');
      await enter();
      assert.match(new URL(page.url()).pathname, /^\/agencies\/?$/, `Enter on the directory link opened ${page.url()}`);

      // 3. Tab to the search box, type the agency's name, submit with Enter.
      await tabUntil(page, 'the search input (input[name="q"])', (el) => el.matches('input[name="q"]'));
      await expectFocusIndicator('search input');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(name);
      await enter();
      assert.equal(new URL(page.url()).searchParams.get('q'), name, `searching did not put q=${name} in ${page.url()}`);

      // 4. Tab to the first result and open it.
      const firstResult = await page.locator('main table a').first().textContent().catch(() => null);
      assert.ok(firstResult?.includes(name), `searching for ${name} did not list it first (got ${firstResult})`);
      await tabUntil(page, 'the first result link', (el) => el === document.querySelector('main table a'));
      await expectFocusIndicator('first result link');
      await enter();
      const agencyUrl = page.url();

      // 5. Tab to the edit link and open it.
      await tabUntil(page, 'the 編集 / Edit link', (el) => el.tagName === 'A' && /編集|Edit/.test(el.textContent));
      await expectFocusIndicator('edit link');
      await enter();

      // 6. Tab to the phone field, replace its value, submit with Enter.
      await tabUntil(page, `the phone field (${PHONE_FIELD})`, (el, sel) => el.matches(sel), PHONE_FIELD);
      await expectFocusIndicator('phone field');
      const oldPhone = await page.evaluate(() => document.activeElement.value);
      const newPhone = oldPhone === '03-1234-5678' ? '03-8765-4321' : '03-1234-5678';
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(newPhone);
      const response = await enter();
      assert.ok(response.status() < 400, `saving the edit form answered HTTP ${response.status()} (${page.url()})`);

      // 7. Back on the agency page with the new phone and a success notice.
      const shot = await screenshot(page, 'keyboard-saved');
      const saved = await page.evaluate(() => {
        const notice = document.querySelector('.notice, [role="status"]');
        return {
          path: location.pathname,
          main: document.querySelector('main')?.innerText ?? '',
          notice: notice ? notice.innerText.trim() : null,
        };
      });
      assert.equal(saved.path, new URL(agencyUrl).pathname, `after saving, expected the agency page, got ${page.url()} (${shot})`);
      assert.ok(saved.main.includes(newPhone), `the agency page does not show the new phone ${newPhone} (${shot})`);
      assert.ok(saved.notice, `the agency page shows no success notice (.notice / role=status) after saving (${shot})`);

      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe-core violations on the saved agency page:\n${formatViolations(violations)}`);
      assert.deepEqual(focusProblems, [], focusProblems.join('\n'));
    } finally {
      await context.close();
    }
  });

  it('writes a support record from the dashboard in a few keystrokes', { timeout: 180_000 }, async () => {
    const { server, browser } = await env();
    const { context, page } = await newPage(browser);
    const enter = () => navigation(page, () => page.keyboard.press('Enter'));
    let keys = 0;
    const press = async (key) => { keys += 1; await page.keyboard.press(key); };
    try {
      await signIn(page, server.url, 'worker');
      await page.goto(server.url('/'));
      // From the dashboard's list of what falls due: the first person's journey page.
      await tabUntil(page, 'the first due item', (el) => el.tagName === 'A' && el.getAttribute('href')?.endsWith('/timeline'));
      await enter();
      const note = `電話で体調確認（${Date.now()}）`;
      // Past the menu by the skip link, as a keyboard user goes: Tab to it, Enter.
      await press('Tab');
      assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('skip-link')), 'the first Tab stop is the skip link');
      await press('Enter');
      // Kind: the first choice after 「選択してください」 is 相談; 電話 is three further down.
      const tabs = await tabUntil(page, 'the kind select', (el) => el.matches('select[name="kind"]'));
      keys += tabs;
      for (let i = 0; i < 4; i += 1) await press('ArrowDown');
      // The date (today) is filled in; a date input has a stop per part, so move by field.
      const to = async (what, selector) => {
        keys += await tabUntil(page, what, (el, sel) => el.matches(sel), selector);
      };
      await to('the minutes field', 'input[name="minutes"]');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('15');
      await to('the note', 'textarea[name="note"]');
      await page.keyboard.type(note);
      await to('the next action', 'input[name="next_action"]');
      await page.keyboard.type('職場訪問');
      await to('the save button', 'button[type="submit"]');
      const response = await enter();
      assert.equal(response.status(), 200, `saving answered ${response.status()} at ${page.url()}`);
      const body = await page.locator('main').innerText();
      assert.ok(body.includes('支援記録を保存しました。'), 'no confirmation after saving');
      assert.ok(body.includes(note) && body.includes('電話（15分）'), 'the new record is not on the timeline');
      assert.ok(keys <= 40, `writing a record took ${keys} key presses besides the typed text`);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe-core violations after saving:\n${formatViolations(violations)}`);
    } finally {
      await context.close();
    }
  });

  it('enters a program figure from the program page', { timeout: 180_000 }, async () => {
    const { server, browser } = await env();
    const { context, page } = await newPage(browser);
    const enter = () => navigation(page, () => page.keyboard.press('Enter'));
    try {
      await signIn(page, server.url, 'manager');
      await page.goto(server.url('/programs/3-1'));
      await tabUntil(page, 'the indicator select', (el) => el.matches('select[name="indicator"]'));
      await page.keyboard.press('ArrowDown');
      await tabUntil(page, 'the figure', (el) => el.matches('input[name="value"]'));
      await page.keyboard.type('123');
      await tabUntil(page, 'the save button', (el) => el.matches('button[type="submit"]'));
      const response = await enter();
      assert.equal(response.status(), 200, `saving answered ${response.status()} at ${page.url()}`);
      const body = await page.locator('main').innerText();
      assert.ok(body.includes('数値を記録しました。'), 'no confirmation after saving');
      assert.ok(body.includes('123'), 'the figure is not listed');
    } finally {
      await context.close();
    }
  });

  it('goes from the dashboard to a due follow-up and marks it done', { timeout: 180_000 }, async () => {
    const { server, browser } = await env();
    const { context, page } = await newPage(browser);
    const enter = () => navigation(page, () => page.keyboard.press('Enter'));
    try {
      await signIn(page, server.url, 'worker');
      await page.goto(server.url('/'));
      // The first follow-up on the dashboard: its row's person link opens the journey.
      const person = await page
        .locator('main tr', { hasText: '定着フォローアップ' })
        .first()
        .locator('a')
        .getAttribute('href');
      assert.ok(person, 'the demo dashboard lists a follow-up that falls due');
      await tabUntil(page, `the link to ${person}`, (el, href) => el.getAttribute('href') === href, person);
      await enter();
      await tabUntil(
        page,
        'the 実施済みにする button',
        (el) => el.tagName === 'BUTTON' && el.textContent.includes('実施済みにする'),
        undefined,
        200,
      );
      const response = await enter();
      assert.equal(response.status(), 200, `marking done answered ${response.status()} at ${page.url()}`);
      const body = await page.locator('main').innerText();
      assert.ok(body.includes('フォローアップを実施済みにしました。'), 'no confirmation after marking the follow-up done');
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe-core violations after marking done:\n${formatViolations(violations)}`);
    } finally {
      await context.close();
    }
  });

  it("logs a trial's week at phone width by keyboard alone", { timeout: 180_000 }, async () => {
    const { server, browser } = await env();
    const { context, page } = await newPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    const enter = () => navigation(page, () => page.keyboard.press('Enter'));
    try {
      await signIn(page, server.url, 'hellowork');
      await page.goto(server.url('/trials'));
      const trial = await page.locator('main a[href^="/trials/"]').first().getAttribute('href');
      assert.ok(trial, "the demo's Hello Work office has a trial under way");
      await tabUntil(page, `the link to ${trial}`, (el, href) => el.getAttribute('href') === href, trial);
      await enter();
      // The form starts on last week: the hours remain.
      await tabUntil(page, 'the hours field', (el) => el.matches('input[name="worked_hours"]'), undefined, 60);
      await page.keyboard.type('17.5');
      await tabUntil(page, 'the 記録する button', (el) => el.tagName === 'BUTTON' && el.textContent.includes('記録する'));
      const response = await enter();
      assert.equal(response.status(), 200, `logging the week answered ${response.status()} at ${page.url()}`);
      const body = await page.locator('main').innerText();
      assert.ok(body.includes('週の勤務時間を記録しました。'), `no confirmation after logging the week: ${body.slice(0, 400)}`);
      assert.ok(body.includes('週17.5時間'), 'the week is listed with its hours');
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe-core violations after logging the week:\n${formatViolations(violations)}`);
      await screenshot(page, 'keyboard-trial-week-390');
    } finally {
      await context.close();
    }
  });

  it('logs a job coach day at phone width by keyboard alone', { timeout: 180_000 }, async () => {
    const { server, browser } = await env();
    const { context, page } = await newPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    const enter = () => navigation(page, () => page.keyboard.press('Enter'));
    try {
      await signIn(page, server.url, 'coach');
      await page.goto(server.url('/coaching'));
      const dispatch = await page.locator('main a[href^="/dispatches/"]').first().getAttribute('href');
      assert.ok(dispatch, "the demo coach's agency has a dispatch under way");
      await tabUntil(page, `the link to ${dispatch}`, (el, href) => el.getAttribute('href') === href, dispatch);
      await enter();
      // The form starts on today and on the coach signed in: the time and what was done remain.
      await tabUntil(page, 'the time field', (el) => el.matches('input[name="duration"]'), undefined, 60);
      await page.keyboard.type('1:45');
      await tabUntil(page, 'the first activity', (el) => el.matches('input[name="activities"]'));
      await page.keyboard.press('Space');
      await tabUntil(page, 'the 記録する button', (el) => el.tagName === 'BUTTON' && el.textContent.includes('記録する'));
      const response = await enter();
      assert.equal(response.status(), 200, `logging the day answered ${response.status()} at ${page.url()}`);
      const body = await page.locator('main').innerText();
      assert.ok(body.includes('稼働日を記録しました。'), `no confirmation after logging the day: ${body.slice(0, 400)}`);
      assert.ok(body.includes('1時間45分'), 'the day is listed with its time');
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe-core violations after logging the day:\n${formatViolations(violations)}`);
      await screenshot(page, 'keyboard-coach-day-390');
    } finally {
      await context.close();
    }
  });
  it("enters this month's regular workers on the quota page at phone width by keyboard alone", { timeout: 180_000 }, async () => {
    const { server, browser } = await env();
    const { context, page } = await newPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    const enter = () => navigation(page, () => page.keyboard.press('Enter'));
    try {
      await signIn(page, server.url, 'employer');
      await page.goto(server.url('/company'));
      await tabUntil(page, 'the link to the quota', (el) => (el.getAttribute('href') || '').endsWith('/quota'), undefined, 80);
      await enter();
      await tabUntil(page, 'the month field', (el) => el.matches('input[name="month"]'), undefined, 120);
      const now = new Date();
      const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
      await page.keyboard.type(month);
      await tabUntil(page, 'the full-time field', (el) => el.matches('input[name="full_time"]'));
      await page.keyboard.type('240');
      await tabUntil(page, 'the short-time field', (el) => el.matches('input[name="short_time"]'));
      await page.keyboard.type('12');
      await tabUntil(page, 'the save button', (el) => el.tagName === 'BUTTON' && el.textContent.includes('この月の数を保存する'));
      const response = await enter();
      assert.equal(response.status(), 200, `saving the month answered ${response.status()} at ${page.url()}`);
      const body = await page.locator('main').innerText();
      assert.ok(body.includes('保存しました。'), `no confirmation after saving the month: ${body.slice(0, 400)}`);
      assert.ok(body.includes('常用労働者数は') && body.includes('246'), 'the month counts 240 + 12 × 0.5');
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe-core violations after saving the month:\n${formatViolations(violations)}`);
      await screenshot(page, 'keyboard-quota-390');
    } finally {
      await context.close();
    }
  });

  it('signs up for a staff training at phone width by keyboard alone', { timeout: 180_000 }, async () => {
    const { server, browser } = await env();
    const { context, page } = await newPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    const enter = () => navigation(page, () => page.keyboard.press('Enter'));
    try {
      await signIn(page, server.url, 'hellowork');
      await page.goto(server.url('/events'));
      const training = await page.locator('main table a[href^="/events/"]', { hasText: '従事者研修' }).first().getAttribute('href');
      assert.ok(training, 'the demo lists the staff training');
      await tabUntil(page, `the link to ${training}`, (el, href) => el.getAttribute('href') === href, training, 80);
      await enter();
      await tabUntil(page, 'the 申し込む button', (el) => el.tagName === 'BUTTON' && el.textContent.trim() === '申し込む', undefined, 60);
      const response = await enter();
      assert.equal(response.status(), 200, `signing up answered ${response.status()} at ${page.url()}`);
      const body = await page.locator('main').innerText();
      assert.ok(body.includes('参加が決まりました'), `no confirmation after signing up: ${body.slice(0, 400)}`);
      assert.ok(body.includes('障害者雇用の現状と障害者雇用施策'), 'the curriculum is shown');
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe-core violations after signing up:\n${formatViolations(violations)}`);
      await screenshot(page, 'keyboard-event-signup-390');
    } finally {
      await context.close();
    }
  });
  for (const width of [390, 1280]) {
    it(`a person reads their plan, stops sharing and gives their passport, by keyboard alone at ${width} px`, { timeout: 180_000 }, async () => {
      const { server, browser } = await env();
      const { context, page } = await newPage(browser);
      await page.setViewportSize({ width, height: 900 });
      const enter = () => navigation(page, () => page.keyboard.press('Enter'));
      const clean = async (what) => {
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, `axe-core violations on ${what}:\n${formatViolations(violations)}`);
      };
      try {
        // Sign in by keyboard.
        await page.goto(server.url('/login'));
        await tabUntil(page, 'the login field', (el) => el.matches('input[name="login"]'));
        await page.keyboard.type('person');
        await page.keyboard.press('Tab');
        await page.keyboard.type('tsunagu-demo-2024');
        await enter();
        // About me, from the menu: the plan in plain words.
        if (width < 768) {
          await tabUntil(page, 'the menu button', (el) => el.matches('button[aria-controls], summary'));
          await page.keyboard.press('Enter');
        }
        await tabUntil(page, 'the link to /me', (el) => el.tagName === 'A' && new URL(el.href).pathname === '/me');
        await enter();
        assert.equal(new URL(page.url()).pathname, '/me');
        const about = await page.locator('main').innerText();
        assert.ok(about.includes('わたしの計画') || about.includes('けいかく'), `the plan is shown: ${about.slice(0, 400)}`);
        await clean('/me');
        await screenshot(page, `keyboard-me-${width}`);
        // My part of the assessment sheet: the first item, in my own words.
        await tabUntil(page, 'the link to /me/assessments', (el) => el.tagName === 'A' && new URL(el.href).pathname === '/me/assessments', undefined, 80);
        await enter();
        await tabUntil(page, 'the sheet begun with the worker', (el) => el.tagName === 'A' && new URL(el.href).pathname.startsWith('/me/assessments/'));
        await enter();
        await clean('my assessment sheet');
        await tabUntil(page, 'my first answer', (el) => el.matches('textarea'));
        await page.keyboard.type('パソコンを使う仕事');
        await tabUntil(page, 'the save button', (el) => el.tagName === 'BUTTON' && el.type === 'submit', undefined, 80);
        await enter();
        assert.ok((await page.locator('main [role="status"]').innerText()).includes('のこしました'), 'my answers are saved');
        assert.ok((await page.locator('main textarea').first().inputValue()).includes('パソコンを使う仕事'), 'my answer is kept');
        await clean('my assessment sheet after saving');
        await screenshot(page, `keyboard-me-assessment-${width}`);
        // Who may see my data.
        await tabUntil(page, 'the link to /me/sharing', (el) => el.tagName === 'A' && new URL(el.href).pathname === '/me/sharing', undefined, 80);
        await enter();
        const before = await page.locator('main .me-card').count();
        assert.ok(before > 0, 'the demo person shares their data with someone');
        await clean('/me/sharing');
        // Stop sharing with the first: the confirmation page names who stops seeing what.
        await tabUntil(page, 'the first 見せるのをやめる link', (el) => el.tagName === 'A' && el.getAttribute('href').endsWith('/withdraw'));
        await enter();
        const confirm = await page.locator('main').innerText();
        assert.ok(confirm.includes('見られなくなります'), `the confirmation names who stops seeing: ${confirm.slice(0, 300)}`);
        await clean('the confirmation page');
        await screenshot(page, `keyboard-me-withdraw-${width}`);
        await tabUntil(page, 'the やめる button', (el) => el.tagName === 'BUTTON' && el.textContent.trim() === 'やめる');
        await enter();
        assert.equal(new URL(page.url()).pathname, '/me/sharing');
        const after = await page.locator('main .me-card').count();
        assert.equal(after, before - 1, 'one fewer may see the data');
        assert.ok((await page.locator('main [role="status"]').innerText()).includes('やめました'), 'the withdrawal is confirmed');
        await clean('/me/sharing after stopping');
        // Undo at once, by keyboard: the data is shared again.
        await tabUntil(page, 'the もとにもどす button', (el) => el.tagName === 'BUTTON' && el.textContent.includes('もとにもどす'));
        await enter();
        assert.equal(await page.locator('main .me-card').count(), before, 'undone: shared again');
        await screenshot(page, `keyboard-me-sharing-${width}`);
        // My 就労パスポート: tick section 3 in (or out), then give it to someone of my short list.
        await tabUntil(page, 'the link to /me/passport', (el) => el.tagName === 'A' && new URL(el.href).pathname === '/me/passport', undefined, 80);
        await enter();
        await clean('/me/passport');
        const was = await page.locator('input[name="section-3"]').isChecked();
        await tabUntil(page, 'the box of section 3', (el) => el.matches('input[name="section-3"]'), undefined, 80);
        await page.keyboard.press('Space');
        await tabUntil(page, 'the save button', (el) => el.tagName === 'BUTTON' && el.type === 'submit', undefined, 80);
        await enter();
        assert.ok((await page.locator('main [role="status"]').innerText()).includes('のこしました'), 'the passport is saved');
        assert.equal(await page.locator('input[name="section-3"]').isChecked(), !was, 'section 3 goes in, or out, as ticked');
        await tabUntil(page, 'the link to /me/passport/give', (el) => el.tagName === 'A' && new URL(el.href).pathname === '/me/passport/give', undefined, 80);
        await enter();
        await clean('/me/passport/give');
        await tabUntil(page, 'the first recipient', (el) => el.matches('input[type="radio"]'));
        await page.keyboard.press('Space');
        await tabUntil(page, 'the わたす button', (el) => el.tagName === 'BUTTON' && el.type === 'submit');
        await enter();
        assert.equal(new URL(page.url()).pathname, '/me/passport');
        assert.ok((await page.locator('main [role="status"]').innerText()).includes('わたしました'), 'the passport is given');
        await clean('/me/passport after giving');
        await screenshot(page, `keyboard-me-passport-${width}`);
      } finally {
        await context.close();
      }
    });
  }
});
