// Every page: axe-core WCAG 2.x A/AA has no violations, exactly one h1, the
// right <html lang>, a Content-Security-Policy header, and a screenshot, at 1280 px and at 390 px.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatViolations,
  navigation,
  newPage,
  runAxe,
  screenshot,
  sharedEnvironment,
  signIn,
} from './lib/harness.mjs';

const TEST_TIMEOUT = { timeout: 120_000 };

const env = sharedEnvironment();

/** Open a fresh page (no cookies), run `open` to reach the page, check it. */
async function checkPage(name, open, { lang = 'ja', expectStatus = (s) => s >= 200 && s < 300, signedIn = false, login = 'admin' } = {}) {
  const { server, browser } = await env();
  const { context, page } = await newPage(browser);
  try {
    if (signedIn) await signIn(page, server.url, login);
    const response = await open(page, server.url);
    assert.ok(response, `${name}: no response`);
    const problems = [];

    const status = response.status();
    if (!expectStatus(status)) problems.push(`unexpected HTTP status ${status} for ${response.url()}`);

    const headers = await response.allHeaders();
    if (!headers['content-security-policy']) problems.push('response has no content-security-policy header');

    const facts = await page.evaluate(() => ({
      lang: document.documentElement.getAttribute('lang'),
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
      title: document.title,
    }));
    if (facts.lang !== lang) problems.push(`<html lang> is ${JSON.stringify(facts.lang)}, expected "${lang}"`);
    if (facts.h1.length !== 1) problems.push(`expected exactly one <h1>, found ${facts.h1.length}: ${JSON.stringify(facts.h1)}`);
    if (!facts.title.trim()) problems.push('document has an empty <title>');
    if (page.cspViolations.length) problems.push(`Content Security Policy violations:\n    ${page.cspViolations.join('\n    ')}`);

    const shot = await screenshot(page, name);

    const violations = await runAxe(page);
    if (violations.length) {
      problems.push(`${violations.length} axe-core violation(s) at 1280 px:\n${formatViolations(violations)}`);
    }

    // The same page on a phone: 390 px wide, a screenshot of its own, axe-core again.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, `${name}-390`);
    const narrow = await runAxe(page);
    if (narrow.length) {
      problems.push(`${narrow.length} axe-core violation(s) at 390 px:\n${formatViolations(narrow)}`);
    }

    assert.equal(problems.length, 0, `${name} (${page.url()}, screenshot ${shot}):\n- ${problems.join('\n- ')}`);
    return page;
  } finally {
    await context.close();
  }
}

/** Go to /agencies and return the href of the first link in the results table. */
async function firstAgencyHref(page, url) {
  await page.goto(url('/agencies'));
  const href = await page.locator('main table a').first().getAttribute('href');
  assert.ok(href, 'the /agencies results table has no links');
  return new URL(href, page.url()).href;
}

/** Go to /fairs and return the address of the first fair listed. */
async function firstFairHref(page, url) {
  await page.goto(url('/fairs'));
  const href = await page.locator('main table a').first().getAttribute('href');
  assert.ok(href, 'the /fairs table has no links');
  return new URL(href, page.url()).href;
}

/** Go to /employers and return the address of the first employer listed. */
async function firstEmployerHref(page, url) {
  await page.goto(url('/employers'));
  const href = await page.locator('main table a').first().getAttribute('href');
  assert.ok(href, 'the /employers table has no links');
  return new URL(href, page.url()).href;
}

/** An agency page's address without the list's query it carries. */
function agencyPath(href) {
  const u = new URL(href);
  return `${u.origin}${u.pathname}`;
}

/** The href of the first person on the worker's caseload. */
/** The first dispatch of the coach's agency. */
async function dispatchHref(page, url) {
  await page.goto(url('/coaching'));
  const href = await page.locator('main a[href^="/dispatches/"]').first().getAttribute('href');
  assert.ok(href, "the demo coach's agency lists no dispatch");
  return new URL(href, page.url()).href;
}

/** The `section` page of the first person of the worker's caseload who has something there. */
async function caseloadHref(page, url, section) {
  await page.goto(url('/persons'));
  const people = await page.locator('main table tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of people) {
    const reply = await page.request.get(url(`/api/v1${href}/${section}`));
    if (reply.ok() && (await reply.json()).length > 0) return url(`${href}/${section}`);
  }
  assert.fail(`no person of the worker's caseload has anything under ${section}`);
}

/** The TryWork page of the first person of the worker's caseload who takes part. */
const tryWorkHref = (page, url) => caseloadHref(page, url, 'trywork');

/** The checklists of the first person of the worker's caseload who has gone through one. */
const checklistsHref = (page, url) => caseloadHref(page, url, 'checklists');

/** The first return-to-work plan the demo's 職業センター lists. */
async function reworkHref(page, url) {
  await page.goto(url('/rework'));
  const href = await page.locator('main a[href^="/rework/"]').first().getAttribute('href');
  assert.ok(href, "the demo's 職業センター lists no return-to-work plan");
  return new URL(href, page.url()).href;
}

/** The first trial Hello Work's office lists (the demo's, falling behind). */
async function trialHref(page, url) {
  await page.goto(url('/trials'));
  const href = await page.locator('main a[href^="/trials/"]').first().getAttribute('href');
  assert.ok(href, "the demo's Hello Work office lists no trial");
  return new URL(href, page.url()).href;
}

/** The address of the first event to come whose title holds `text` (read from the API). */
async function eventHref(page, url, text) {
  const reply = await page.request.get(url('/api/v1/events'));
  const event = (await reply.json()).find((e) => e.event_title.includes(text));
  assert.ok(event, `the demo has no event "${text}"`);
  return url(`/events/${event.id}`);
}

/** A day of the first dispatch's days, to open the coach's week on (ISO). */
async function dispatchDay(page, url) {
  const dispatch = new URL(await dispatchHref(page, url)).pathname.split('/').pop();
  const reply = await page.request.get(url(`/api/v1/dispatches/${dispatch}`));
  const days = (await reply.json()).days;
  return days.length ? days[days.length - 1].worked_on : '';
}

async function firstPersonHref(page, url) {
  await page.goto(url('/persons'));
  const href = await page.locator('main table tbody a').first().getAttribute('href');
  assert.ok(href, 'the /persons caseload has no links');
  return new URL(href, page.url()).href;
}

/** The person's own disclosure page, as their page about getting their data links it. */
async function disclosureHref(page, url) {
  await page.goto(url('/me/data'));
  const href = await page.locator('main a[href$="/disclosure"]').first().getAttribute('href');
  assert.ok(href, '/me/data links the disclosure');
  return new URL(href, page.url()).href;
}

/** The first assessment sheet of a person of the worker's caseload. */
async function assessmentHref(page, url) {
  await page.goto(url('/persons'));
  const people = await page.locator('main table tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of people) {
    await page.goto(url(`${href}/assessments`));
    const sheet = await page.locator('main a[href^="/assessments/"]').first().getAttribute('href', { timeout: 500 }).catch(() => null);
    if (sheet) return url(sheet);
  }
  assert.fail("no person of the worker's caseload has an assessment sheet");
}

/** The 就労パスポート of the person of the worker's caseload whose passport has sections chosen. */
async function passportHref(page, url) {
  await page.goto(url('/persons'));
  const people = await page.locator('main table tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of people) {
    await page.goto(url(`${href}/passport`));
    if (await page.locator('main h2 .badge:not(.badge-quiet)').count() > 0) return url(`${href}/passport`);
  }
  assert.fail("no person of the worker's caseload has a passport with sections chosen");
}

/** Submits the first POST form of the page as it is; returns the response. */
async function submitEmpty(page) {
  const form = page.locator('main form[method="post" i]').first();
  const submit = form.locator('button[type="submit"]').last();
  return navigation(page, () => submit.click());
}

describe('accessibility of the persons pages', () => {
  const worker = { signedIn: true, login: 'worker' };
  const coach = { signedIn: true, login: 'coach' };
  const hellowork = { signedIn: true, login: 'hellowork' };
  const counselor = { signedIn: true, login: 'counselor' };
  const person = { signedIn: true, login: 'person' };

  it('caseload /persons', TEST_TIMEOUT, () => checkPage('persons', (page, url) => page.goto(url('/persons')), worker));

  it('registration form /persons/new', TEST_TIMEOUT, () =>
    checkPage('person-new', (page, url) => page.goto(url('/persons/new')), worker));

  it('registration form submitted empty shows every problem', TEST_TIMEOUT, () =>
    checkPage(
      'person-new-errors',
      async (page, url) => {
        await page.goto(url('/persons/new'));
        const response = await submitEmpty(page);
        const broken = await page.locator('.error-summary a[href^="#"]').evaluateAll((links) =>
          links.filter((a) => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map((a) => a.getAttribute('href')),
        );
        assert.deepEqual(broken, [], `error summary links point to missing fields: ${broken.join(', ')}`);
        return response;
      },
      { ...worker, expectStatus: (s) => s === 422 },
    ));

  it('casework import /persons/import', TEST_TIMEOUT, () =>
    checkPage('persons-import', (page, url) => page.goto(url('/persons/import')), worker));

  it('casework import with a refused file lists its problems', TEST_TIMEOUT, () =>
    checkPage(
      'persons-import-errors',
      async (page, url) => {
        await page.goto(url('/persons/import'));
        await page.locator('#persons-file').setInputFiles({
          name: 'persons.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from('氏名,ふりがな,生年月日,障害種別,同意日,同意の方法\n誤り 太郎,あやまり たろう,2001-02-30,精神,2026-04-01,書面\n'),
        });
        const submit = page.locator('form[action="/persons/import"] button[type="submit"]');
        const response = await navigation(page, () => submit.click());
        const rows = await page.locator('.error-summary tbody tr').count();
        assert.ok(rows >= 2, `the problems are listed (${rows} rows)`);
        const back = await page.locator('.error-summary a[href="#persons-file"]').count();
        assert.equal(back, 1, 'the summary leads back to the file input');
        return response;
      },
      { ...worker, expectStatus: (s) => s === 422 },
    ));

  it('person record (first on the caseload)', TEST_TIMEOUT, () =>
    checkPage('person', async (page, url) => page.goto(await firstPersonHref(page, url)), worker));

  it('consent form', TEST_TIMEOUT, () =>
    checkPage('consent-new', async (page, url) => page.goto(`${await firstPersonHref(page, url)}/consents/new?q=${encodeURIComponent('池袋')}`), worker));

  it('consent form submitted empty', TEST_TIMEOUT, () =>
    checkPage(
      'consent-new-errors',
      async (page, url) => {
        await page.goto(`${await firstPersonHref(page, url)}/consents/new`);
        return submitEmpty(page);
      },
      { ...worker, expectStatus: (s) => s === 422 },
    ));

  it('refused record with the emergency override form', TEST_TIMEOUT, () =>
    checkPage(
      'person-denied',
      async (page, url) => {
        const { browser } = await env();
        const other = await newPage(browser);
        let href;
        try {
          await signIn(other.page, url, 'worker');
          href = await firstPersonHref(other.page, url);
        } finally {
          await other.context.close();
        }
        return page.goto(href);
      },
      { signedIn: true, login: 'coordinator', expectStatus: (s) => s === 403 },
    ));

  it('journey and support records', TEST_TIMEOUT, () =>
    checkPage('timeline', async (page, url) => page.goto(`${await firstPersonHref(page, url)}/timeline`), worker));

  it('support record submitted empty', TEST_TIMEOUT, () =>
    checkPage(
      'timeline-errors',
      async (page, url) => {
        await page.goto(`${await firstPersonHref(page, url)}/timeline`);
        await page.fill('textarea[name="note"]', '');
        await page.fill('input[name="minutes"]', '');
        const response = await submitEmpty(page);
        const broken = await page.locator('.error-summary a[href^="#"]').evaluateAll((links) =>
          links.filter((a) => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map((a) => a.getAttribute('href')),
        );
        assert.deepEqual(broken, [], `error summary links point to missing fields: ${broken.join(', ')}`);
        return response;
      },
      { ...worker, expectStatus: (s) => s === 422 },
    ));

  it('document form', TEST_TIMEOUT, () =>
    checkPage('document-new', async (page, url) => page.goto(`${await firstPersonHref(page, url)}/documents/new`), worker));

  it('document form submitted without a file', TEST_TIMEOUT, () =>
    checkPage(
      'document-new-errors',
      async (page, url) => {
        await page.goto(`${await firstPersonHref(page, url)}/documents/new`);
        await page.fill('input[name="title"]', '職業評価の報告書');
        const response = await submitEmpty(page);
        const summary = await page.locator('.error-summary a').allTextContents();
        assert.deepEqual(summary, ['種別を選んでください。', 'ファイルを選んでください。']);
        assert.equal(await page.inputValue('input[name="title"]'), '職業評価の報告書', 'the title typed is kept');
        return response;
      },
      { ...worker, expectStatus: (s) => s === 422 },
    ));

  it('person page with a document attached', TEST_TIMEOUT, () =>
    checkPage('person-documents', async (page, url) => {
      const person = await firstPersonHref(page, url);
      await page.goto(`${person}/documents/new`);
      await page.selectOption('select[name="kind"]', 'signed_plan');
      await page.fill('input[name="title"]', '個別支援計画（本人署名・2026年12月）');
      await page.setInputFiles('input[name="file"]', {
        name: '個別支援計画_署名.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
      });
      const response = await navigation(page, () => page.locator('main form button[type="submit"]').click());
      assert.match(page.url(), /attached=1#documents$/);
      const link = page.locator('#documents + .table-wrap a[download]', { hasText: '個別支援計画（本人署名・2026年12月）' });
      assert.equal(await link.count(), 1, 'the document is listed with a download link');
      return response;
    }, worker));

  it('referrals /referrals', TEST_TIMEOUT, () => checkPage('referrals', (page, url) => page.goto(url('/referrals')), worker));

  it('referral form', TEST_TIMEOUT, () =>
    checkPage('referral-new', async (page, url) => page.goto(`${await firstPersonHref(page, url)}/referrals/new`), worker));

  it('fairs /fairs', TEST_TIMEOUT, () => checkPage('fairs', (page, url) => page.goto(url('/fairs')), worker));

  it('a fair with its schedule, as its organiser /fairs/{id}', TEST_TIMEOUT, () =>
    checkPage('fair', async (page, url) => page.goto(await firstFairHref(page, url)), worker));

  it('a fair as another agency sees it', TEST_TIMEOUT, () =>
    checkPage('fair-read', async (page, url) => page.goto(await firstFairHref(page, url)), { signedIn: true, login: 'coach' }));

  it('a fair form sent back with its problems', TEST_TIMEOUT, () =>
    checkPage('fair-problems', async (page, url) => {
      await page.goto(await firstFairHref(page, url));
      await page.fill('#corporate_number', '1234567890123');
      return navigation(page, () => page.locator('form[action$="/companies"] button[type="submit"]').click());
    }, { ...worker, expectStatus: (s) => s === 422 }));

  it('printable timetables /fairs/{id}/timetable', TEST_TIMEOUT, () =>
    checkPage('fair-timetable', async (page, url) => page.goto(`${await firstFairHref(page, url)}/timetable`), worker));

  it('employers /employers', TEST_TIMEOUT, () => checkPage('employers', (page, url) => page.goto(url('/employers')), worker));

  it('an employer as staff see it /employers/{id}', TEST_TIMEOUT, () =>
    checkPage('employer', async (page, url) => page.goto(await firstEmployerHref(page, url)), worker));

  it('an employer form /employers/{id}/edit', TEST_TIMEOUT, () =>
    checkPage('employer-edit', async (page, url) => page.goto(`${await firstEmployerHref(page, url)}/edit`), worker));

  it('a new employer sent back with its problems', TEST_TIMEOUT, () =>
    checkPage('employer-problems', async (page, url) => {
      await page.goto(url('/employers/new'));
      await page.fill('#corporate_number', '1234567890123');
      await page.fill('#hiring_phone', '03-0000-1111');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...worker, expectStatus: (s) => s === 422 }));

  it("an employer's own page /company (the employer)", TEST_TIMEOUT, () =>
    checkPage('company', (page, url) => page.goto(url('/company')), { signedIn: true, login: 'employer' }));

  it("an employer's legal quota /employers/{id}/quota (the employer)", TEST_TIMEOUT, () =>
    checkPage('quota', async (page, url) => {
      await page.goto(url('/company'));
      return page.goto(`${page.url()}/quota`);
    }, { signedIn: true, login: 'employer' }));

  it('the legal quota with one more hire weighed (Hello Work)', TEST_TIMEOUT, () =>
    checkPage('quota-hire', async (page, url) => {
      const href = await firstEmployerHref(page, url);
      return page.goto(`${href}/quota?hire_category=mental&hire_hours=25#hire`);
    }, { signedIn: true, login: 'hellowork' }));

  it("the quota's employee form sent back with its problems", TEST_TIMEOUT, () =>
    checkPage('quota-problems', async (page, url) => {
      await page.goto(url('/company'));
      await page.goto(`${page.url()}/quota`);
      await page.fill('#weekly_hours', '200');
      await page.fill('#employed_from', '2026-13-01');
      return navigation(page, () => page.locator('form[action$="/quota/workers#workers"] button[type="submit"]').click());
    }, { signedIn: true, login: 'employer', expectStatus: (s) => s === 422 }));

  it('openings /openings (signed out)', TEST_TIMEOUT, () => checkPage('openings', (page, url) => page.goto(url('/openings'))));

  it('an opening with its JobPosting /openings/{id} (signed out)', TEST_TIMEOUT, () =>
    checkPage('opening', async (page, url) => {
      await page.goto(url('/openings'));
      const href = await page.locator('main table a').first().getAttribute('href');
      assert.ok(href, 'the /openings table has no links');
      const response = await page.goto(new URL(href, page.url()).href);
      const posting = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
      assert.equal(posting['@type'], 'JobPosting');
      return response;
    }));

  it("an opening's form sent back with its problems", TEST_TIMEOUT, () =>
    checkPage('opening-problems', async (page, url) => {
      await page.goto(await firstEmployerHref(page, url));
      await page.goto(`${page.url()}/openings/new`);
      await page.fill('#hours_min', '35');
      await page.fill('#hours_max', '30');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...worker, expectStatus: (s) => s === 422 }));

  it("an employer's new slot /employers/{id}/slots/new", TEST_TIMEOUT, () =>
    checkPage('slot-new', async (page, url) => page.goto(`${await firstEmployerHref(page, url)}/slots/new`), worker));

  it('an internship or tour slot /slots/{id}, opened from a person it suits', TEST_TIMEOUT, () =>
    checkPage('slot', async (page, url) => {
      await page.goto(`${await firstPersonHref(page, url)}/internships`);
      const href = await page.locator('main a[href^="/slots/"]').first().getAttribute('href');
      assert.ok(href, 'no slot to come is offered');
      return page.goto(new URL(href, page.url()).href);
    }, worker));

  it('an employer with its year-by-year record, opened from its slot', TEST_TIMEOUT, () =>
    checkPage('employer-years', async (page, url) => {
      await page.goto(`${await firstPersonHref(page, url)}/internships`);
      await page.goto(new URL(await page.locator('main a[href^="/slots/"]').first().getAttribute('href'), page.url()).href);
      const response = await page.goto(new URL(await page.locator('main a[href^="/employers/"]').first().getAttribute('href'), page.url()).href);
      assert.ok(await page.locator('#years + p + table').count(), 'the year-by-year table is shown');
      return response;
    }, worker));

  it("a school's students by department and year /school (the teacher)", TEST_TIMEOUT, () =>
    checkPage('school', (page, url) => page.goto(url('/school')), { signedIn: true, login: 'teacher' }));

  it("a school's third years of one department /school?department=&standing=3 (the teacher)", TEST_TIMEOUT, () =>
    checkPage('school-filtered', (page, url) => page.goto(url('/school?department=employment_skills&standing=3')),
      { signedIn: true, login: 'teacher' }));

  it("a student's enrolment with its form /persons/{id}/school (the teacher)", TEST_TIMEOUT, () =>
    checkPage('enrolment', async (page, url) => {
      await page.goto(url('/school'));
      const href = await page.locator('main a[href$="/school"]').first().getAttribute('href');
      assert.ok(href, 'the school lists no student');
      return page.goto(new URL(href, page.url()).href);
    }, { signedIn: true, login: 'teacher' }));

  it('the enrolment form sent back with its problems', TEST_TIMEOUT, () =>
    checkPage('enrolment-problems', async (page, url) => {
      await page.goto(url('/school'));
      await page.goto(new URL(await page.locator('main a[href$="/school"]').first().getAttribute('href'), page.url()).href);
      await page.fill('#entered_year', '来年');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { signedIn: true, login: 'teacher', expectStatus: (s) => s === 422 }));

  it("an agency's job coaches and dispatches /coaching (the coach)", TEST_TIMEOUT, () =>
    checkPage('coaching', (page, url) => page.goto(url('/coaching')), coach));

  it('a new job coach /coaching/coaches/new', TEST_TIMEOUT, () =>
    checkPage('coach-new', (page, url) => page.goto(url('/coaching/coaches/new')), coach));

  it('the job coach form sent back with its problems', TEST_TIMEOUT, () =>
    checkPage('coach-new-problems', async (page, url) => {
      await page.goto(url('/coaching/coaches/new'));
      await page.fill('#active_from', '4月31日');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...coach, expectStatus: (s) => s === 422 }));

  it("a coach's week /coaching/coaches/{id}/week", TEST_TIMEOUT, () =>
    checkPage('coach-week', async (page, url) => {
      await page.goto(url('/coaching'));
      const href = await page.locator('main a[href$="/week"]').first().getAttribute('href');
      return page.goto(new URL(`${href}?week=${await dispatchDay(page, url)}`, page.url()).href);
    }, coach));

  it('a dispatch with its days and the form that logs one /dispatches/{id}', TEST_TIMEOUT, () =>
    checkPage('dispatch', async (page, url) => page.goto(await dispatchHref(page, url)), coach));

  it('a day sent back with its problems', TEST_TIMEOUT, () =>
    checkPage('dispatch-problems', async (page, url) => {
      await page.goto(await dispatchHref(page, url));
      await page.fill('#duration', '13時間');
      return navigation(page, () => page.locator('main form button[type="submit"]').first().click());
    }, { ...coach, expectStatus: (s) => s === 422 }));

  it("a person's job coaching /persons/{id}/coaching and the plan form", TEST_TIMEOUT, () =>
    checkPage('person-coaching', async (page, url) => {
      await page.goto(await dispatchHref(page, url));
      const href = await page.locator('main a[href$="/coaching"]').first().getAttribute('href');
      return page.goto(new URL(href, page.url()).href);
    }, coach));

  it('a dispatch plan /persons/{id}/coaching/new sent back with its problems', TEST_TIMEOUT, () =>
    checkPage('dispatch-plan-problems', async (page, url) => {
      await page.goto(await dispatchHref(page, url));
      const href = await page.locator('main a[href$="/coaching"]').first().getAttribute('href');
      await page.goto(new URL(`${href}/new`, page.url()).href);
      await page.fill('#transition_until', '2099-01-01');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...coach, expectStatus: (s) => s === 422 }));

  it("Hello Work's trials /trials, the one falling behind first", TEST_TIMEOUT, () =>
    checkPage('trials', (page, url) => page.goto(url('/trials')), hellowork));

  it('a trial with its weeks and grants /trials/{id}', TEST_TIMEOUT, () =>
    checkPage('trial', async (page, url) => page.goto(await trialHref(page, url)), hellowork));

  it("a trial's week sent back with its problems", TEST_TIMEOUT, () =>
    checkPage('trial-week-problems', async (page, url) => {
      await page.goto(await trialHref(page, url));
      await page.fill('#worked_hours', 'たくさん');
      return navigation(page, () => page.locator('main form button[type="submit"]').first().click());
    }, { ...hellowork, expectStatus: (s) => s === 422 }));

  it("a grant decision sent back with its problems", TEST_TIMEOUT, () =>
    checkPage('trial-grant-problems', async (page, url) => {
      await page.goto(await trialHref(page, url));
      await page.fill('#grant_amount', '9,999,999');
      await page.fill('#grant_months', '1');
      return navigation(page, () => page.locator('#grant-form-title ~ form button[type="submit"]').click());
    }, { ...hellowork, expectStatus: (s) => s === 422 }));

  it("a person's trials /persons/{id}/trials", TEST_TIMEOUT, () =>
    checkPage('person-trials', async (page, url) => {
      await page.goto(await trialHref(page, url));
      const href = await page.locator('main a[href$="/trials"]').first().getAttribute('href');
      return page.goto(new URL(href, page.url()).href);
    }, hellowork));

  it('a trial plan /persons/{id}/trials/new sent back with its problems', TEST_TIMEOUT, () =>
    checkPage('trial-plan-problems', async (page, url) => {
      await page.goto(await trialHref(page, url));
      const href = await page.locator('main a[href$="/trials"]').first().getAttribute('href');
      await page.goto(new URL(`${href}/new`, page.url()).href);
      await page.check('input[name="course"][value="short_time"]');
      await page.fill('#start_hours', '22');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...hellowork, expectStatus: (s) => s === 422 }));

  it('the trial form of a running trial /trials/{id}/edit', TEST_TIMEOUT, () =>
    checkPage('trial-edit', async (page, url) => page.goto(`${await trialHref(page, url)}/edit`), hellowork));

  it("a centre's returns to work /rework", TEST_TIMEOUT, () =>
    checkPage('rework', (page, url) => page.goto(url('/rework')), counselor));

  it('a return-to-work plan with the three parties and the warm-up /rework/{id}', TEST_TIMEOUT, () =>
    checkPage('return-plan', async (page, url) => page.goto(await reworkHref(page, url)), counselor));

  it("a person's returns to work /persons/{id}/rework", TEST_TIMEOUT, () =>
    checkPage('person-rework', async (page, url) => {
      await page.goto(await reworkHref(page, url));
      const href = await page.locator('main a[href$="/rework"]').first().getAttribute('href');
      return page.goto(new URL(href, page.url()).href);
    }, counselor));

  it('a return-to-work plan sent back with its problems /rework/{id}/edit', TEST_TIMEOUT, () =>
    checkPage('return-plan-problems', async (page, url) => {
      await page.goto(`${await reworkHref(page, url)}/edit`);
      await page.fill('#doctor', '');
      await page.fill('#support_began_on', '2000-01-01');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...counselor, expectStatus: (s) => s === 422 }));

  it("a person's TryWork participations /persons/{id}/trywork", TEST_TIMEOUT, () =>
    checkPage('person-trywork', async (page, url) => page.goto(await tryWorkHref(page, url)), worker));

  it('a TryWork participation sent back with its problems', TEST_TIMEOUT, () =>
    checkPage('trywork-problems', async (page, url) => {
      await page.goto(await tryWorkHref(page, url));
      await page.goto(new URL(await page.locator('main a[href$="/edit"]').first().getAttribute('href'), page.url()).href);
      await page.fill('#planned_until', '2000-01-01');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...worker, expectStatus: (s) => s === 422 }));

  it("a person's work-transition checklists and their profile /persons/{id}/checklists", TEST_TIMEOUT, () =>
    checkPage('person-checklists', async (page, url) => page.goto(await checklistsHref(page, url)), worker));

  it('one checklist with what was noticed /checklists/{id}', TEST_TIMEOUT, () =>
    checkPage('checklist', async (page, url) => {
      await page.goto(await checklistsHref(page, url));
      return page.goto(new URL(await page.locator('main a[href^="/checklists/"]').first().getAttribute('href'), page.url()).href);
    }, worker));

  it('a checklist sent back with its problems /persons/{id}/checklists/new', TEST_TIMEOUT, () =>
    checkPage('checklist-problems', async (page, url) => {
      await page.goto(`${await checklistsHref(page, url)}/new`);
      await page.check('#I-1-2');
      await page.check('#I-4-na');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...worker, expectStatus: (s) => s === 422 }));

  it('events and my sign-ups with their notices /events', TEST_TIMEOUT, () =>
    checkPage('events', (page, url) => page.goto(url('/events')), coach));

  it('my calendar feed /events/feed', TEST_TIMEOUT, () =>
    checkPage('calendar-feed', (page, url) => page.goto(url('/events/feed')), coach));

  it('my calendar feed just started, its address shown once /events/feed (POST)', TEST_TIMEOUT, () =>
    checkPage('calendar-feed-started', async (page, url) => {
      await page.goto(url('/events/feed'));
      return submitEmpty(page);
    }, coach));

  it("a person's work sample results /persons/{id}/mws", TEST_TIMEOUT, () =>
    checkPage('person-mws', async (page, url) => page.goto(await caseloadHref(page, url, 'mws')), worker));

  it('a work sample result sent back with its problems', TEST_TIMEOUT, () =>
    checkPage('mws-problems', async (page, url) => {
      await page.goto(`${await caseloadHref(page, url, 'mws')}/new`);
      await page.fill('#level', '9');
      await page.fill('#trials', '6');
      await page.fill('#correct', '7');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...worker, expectStatus: (s) => s === 422 }));

  it("a person's assessment sheet beside the supporter's answers /assessments/{id}", TEST_TIMEOUT, () =>
    checkPage('assessment', async (page, url) => page.goto(await assessmentHref(page, url)), worker));

  it('my assessment sheet in やさしい日本語 /me/assessments/{id}', TEST_TIMEOUT, () =>
    checkPage('me-assessment', async (page, url) => {
      await page.goto(url('/me/assessments'));
      return page.goto(new URL(await page.locator('main a[href^="/me/assessments/"]').first().getAttribute('href'), page.url()).href);
    }, person));

  it("a person's 就労パスポート /persons/{id}/passport", TEST_TIMEOUT, () =>
    checkPage('passport', async (page, url) => page.goto(await passportHref(page, url)), worker));

  it("a person's 就労パスポート to print /persons/{id}/passport/print", TEST_TIMEOUT, () =>
    checkPage('passport-print', async (page, url) => page.goto(`${await passportHref(page, url)}/print`), worker));

  it('my 就労パスポート in やさしい日本語 /me/passport', TEST_TIMEOUT, () =>
    checkPage('me-passport', (page, url) => page.goto(url('/me/passport')), person));

  it('giving my 就労パスポート /me/passport/give', TEST_TIMEOUT, () =>
    checkPage('me-passport-give', (page, url) => page.goto(url('/me/passport/give')), person));

  it('giving my 就労パスポート to nobody chosen /me/passport/give (refused)', TEST_TIMEOUT, () =>
    checkPage('me-passport-give-error', async (page, url) => {
      await page.goto(url('/me/passport/give'));
      return submitEmpty(page);
    }, { ...person, expectStatus: (s) => s === 422 }));

  it('my 就労パスポート to print /me/passport/print', TEST_TIMEOUT, () =>
    checkPage('me-passport-print', (page, url) => page.goto(url('/me/passport/print')), person));

  it('who may see my data /me/sharing', TEST_TIMEOUT, () =>
    checkPage('me-sharing', (page, url) => page.goto(url('/me/sharing')), person));

  it('who may see my data, sent without a choice', TEST_TIMEOUT, () =>
    checkPage('me-sharing-problem', async (page, url) => {
      await page.goto(url('/me/sharing'));
      return navigation(page, () => page.locator('main form[action="/me/sharing"] button[type="submit"]').click());
    }, { ...person, expectStatus: (s) => s === 422 }));

  it('the confirmation before sharing stops /me/sharing/{id}/withdraw', TEST_TIMEOUT, () =>
    checkPage('me-withdraw', async (page, url) => {
      await page.goto(url('/me/sharing'));
      return page.goto(new URL(await page.locator('main a[href$="/withdraw"]').first().getAttribute('href'), page.url()).href);
    }, person));

  it('who looked /me/looked', TEST_TIMEOUT, () =>
    checkPage('me-looked', (page, url) => page.goto(url('/me/looked?own=1')), person));

  it('getting my data /me/data', TEST_TIMEOUT, () =>
    checkPage('me-data', (page, url) => page.goto(url('/me/data')), person));

  it('my account with a wrong password /me/account', TEST_TIMEOUT, () =>
    checkPage('me-account-problem', async (page, url) => {
      await page.goto(url('/me/account'));
      await page.fill('#current_password', 'not the password');
      return navigation(page, () => page.locator('main form[action="/me/account/password"] button[type="submit"]').click());
    }, { ...person, expectStatus: (s) => s === 422 }));

  it("a person's own events /events", TEST_TIMEOUT, () =>
    checkPage('events-person', (page, url) => page.goto(url('/events')), person));

  it('a full seminar with its sign-ups and waitlist, as its organiser /events/{id}', TEST_TIMEOUT, () =>
    checkPage('event-organiser', async (page, url) => page.goto(await eventHref(page, url, '就活セミナー')), worker));

  it('a staff training with its curriculum /events/{id}', TEST_TIMEOUT, () =>
    checkPage('event-training', async (page, url) => page.goto(await eventHref(page, url, '従事者研修')), worker));

  it("a seminar's attendance /events/{id}/attendance/1", TEST_TIMEOUT, () =>
    checkPage('event-attendance', async (page, url) =>
      page.goto(`${await eventHref(page, url, 'アセスメント')}/attendance/1`), counselor));

  it('a certificate of completion /signups/{id}/certificate', TEST_TIMEOUT, () =>
    checkPage('event-certificate', async (page, url) => {
      await page.goto(url('/events'));
      const href = await page.locator('main a[href$="/certificate"]').first().getAttribute('href');
      assert.ok(href, 'the demo worker holds no certificate');
      return page.goto(url(href));
    }, worker));

  it('the event form from the staff-training template /events/new?template=staff_training', TEST_TIMEOUT, () =>
    checkPage('event-new', (page, url) => page.goto(url('/events/new?template=staff_training')), worker));

  it('an event sent back with its problems, row by row', TEST_TIMEOUT, () =>
    checkPage('event-problems', async (page, url) => {
      await page.goto(url('/events/new'));
      await page.fill('#event_title', '就労支援セミナー');
      await page.fill('#session_1', '2000-01-01');
      await page.fill('#session_1-starts', '10:00');
      await page.fill('#session_1-ends', '09:00');
      await page.fill('#event_capacity', '0');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...worker, expectStatus: (s) => s === 422 }));

  it('the councils with their minutes /councils', TEST_TIMEOUT, () =>
    checkPage('councils', (page, url) => page.goto(url('/councils')), counselor));

  it('a council meeting with its agenda /events/{id}', TEST_TIMEOUT, () =>
    checkPage('council', async (page, url) => page.goto(await eventHref(page, url, '連絡協議会')), counselor));

  it("a centre's medical-liaison coordinators /liaison", TEST_TIMEOUT, () =>
    checkPage('liaison', (page, url) => page.goto(url('/liaison')), worker));

  it('a coordinator sent back with its problems /liaison/new', TEST_TIMEOUT, () =>
    checkPage('liaison-problems', async (page, url) => {
      await page.goto(url('/liaison/new'));
      await page.fill('#serves_since', '');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...worker, expectStatus: (s) => s === 422 }));

  it("the 職業センター's advice to agencies /assistance", TEST_TIMEOUT, () =>
    checkPage('assistance', (page, url) => page.goto(url('/assistance')), counselor));

  it('advice to agencies explained to other staff /assistance', TEST_TIMEOUT, () =>
    checkPage('assistance-other', (page, url) => page.goto(url('/assistance')), coach));

  it('a record of advice sent back with its problems /assistance/new', TEST_TIMEOUT, () =>
    checkPage('assistance-problems', async (page, url) => {
      await page.goto(url('/assistance/new'));
      await page.fill('#given_by', '');
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...counselor, expectStatus: (s) => s === 422 }));

  it("a person's events and those open to them /persons/{id}/events", TEST_TIMEOUT, () =>
    checkPage('person-events', async (page, url) => page.goto(`${await firstPersonHref(page, url)}/events`), worker));

  it("a person's internships and tours /persons/{id}/internships", TEST_TIMEOUT, () =>
    checkPage('internships', async (page, url) => page.goto(`${await firstPersonHref(page, url)}/internships`), worker));

  it("a person's slots ranked for the areas of a search /persons/{id}/internships?areas=…", TEST_TIMEOUT, () =>
    checkPage('internships-ranked', async (page, url) =>
      page.goto(`${await firstPersonHref(page, url)}/internships?areas=131016&areas=131041`), worker));

  it("a person's job-search conditions with their form /persons/{id}/preferences", TEST_TIMEOUT, () =>
    checkPage('preferences', async (page, url) => page.goto(`${await firstPersonHref(page, url)}/preferences`), worker));

  it('the job-search conditions sent back with their problems', TEST_TIMEOUT, () =>
    checkPage('preferences-problems', async (page, url) => {
      await page.goto(`${await firstPersonHref(page, url)}/preferences`);
      await page.evaluate(() => {
        const note = document.querySelector('#preference_note');
        note.removeAttribute('maxlength');
        note.value = 'あ'.repeat(401);
      });
      return navigation(page, () => page.locator('main form button[type="submit"]').click());
    }, { ...worker, expectStatus: (s) => s === 422 }));

  it("a person's matches under their recorded conditions /persons/{id}/matches", TEST_TIMEOUT, () =>
    checkPage('matches-saved', async (page, url) => page.goto(`${await firstPersonHref(page, url)}/matches`), worker));

  it("a person's matching openings /persons/{id}/matches", TEST_TIMEOUT, () =>
    checkPage('matches', async (page, url) => page.goto(`${await firstPersonHref(page, url)}/matches?hours=25&needs=job_coach`), worker));

  it("a person's jobs /persons/{id}/placements, opened from an employer", TEST_TIMEOUT, () =>
    checkPage('placements', async (page, url) => {
      const employer = new URL(await firstEmployerHref(page, url)).pathname.split('/').pop();
      return page.goto(`${await firstPersonHref(page, url)}/placements?employer=${employer}`);
    }, worker));

  it("a person's jobs with the form sent back with its problems", TEST_TIMEOUT, () =>
    checkPage(
      'placements-problems',
      async (page, url) => {
        await page.goto(`${await firstPersonHref(page, url)}/placements`);
        const form = page.locator('main form[method="post" i]').last();
        for (const date of await form.locator('input[type="date"]').all()) await date.fill('');
        const response = await navigation(page, () => form.locator('button[type="submit"]').click());
        const broken = await page.locator('.error-summary a[href^="#"]').evaluateAll((links) =>
          links.filter((a) => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map((a) => a.getAttribute('href')),
        );
        assert.deepEqual(broken, [], `error summary links point to missing fields: ${broken.join(', ')}`);
        return response;
      },
      { ...worker, expectStatus: (s) => s === 422 },
    ));

  it("the persons an opening suits /openings/{id}/matches (the employer)", TEST_TIMEOUT, () =>
    checkPage('opening-matches', async (page, url) => {
      await page.goto(url('/company'));
      const href = await page.locator('main a[href^="/openings/"]').first().getAttribute('href');
      assert.ok(href, 'the company page lists no opening');
      return page.goto(new URL(`${href}/matches`, page.url()).href);
    }, { signedIn: true, login: 'employer' }));

  it('linking accounts /admin/accounts', TEST_TIMEOUT, () =>
    checkPage('admin-accounts', (page, url) => page.goto(url('/admin/accounts')), { signedIn: true, login: 'admin' }));

  it('about me, in やさしい日本語 /me (the person)', TEST_TIMEOUT, () => checkPage('me', (page, url) => page.goto(url('/me')), person));

  it('who looked at my record, as the record shows it', TEST_TIMEOUT, () =>
    checkPage('access-log', async (page, url) => page.goto((await disclosureHref(page, url)).replace(/\/disclosure$/, '/access-log')), person));

  it('disclosure page', TEST_TIMEOUT, () =>
    checkPage('disclosure', async (page, url) => page.goto(await disclosureHref(page, url)), person));
});

describe('accessibility of every page', () => {
  it('home /', TEST_TIMEOUT, () => checkPage('home', (page, url) => page.goto(url('/'))));

  it('agency directory /agencies', TEST_TIMEOUT, () =>
    checkPage('agencies', (page, url) => page.goto(url('/agencies'))));

  it('search /agencies?q=ハローワーク', TEST_TIMEOUT, () =>
    checkPage('agencies-search', (page, url) => page.goto(url(`/agencies?q=${encodeURIComponent('ハローワーク')}`))));

  it('filter by block /agencies?block=…', TEST_TIMEOUT, () =>
    checkPage('agencies-block', async (page, url) => {
      await page.goto(url('/agencies'));
      const values = await page
        .locator('select[name="block"] option')
        .evaluateAll((options) => options.map((o) => o.value).filter((v) => v !== ''));
      assert.ok(values.length > 0, '/agencies has no <select name="block"> with a non-empty option');
      return page.goto(url(`/agencies?block=${encodeURIComponent(values[0])}`));
    }));

  it('agency page (first result)', TEST_TIMEOUT, () =>
    checkPage('agency', async (page, url) => page.goto(await firstAgencyHref(page, url))));

  it('agency edit page', TEST_TIMEOUT, () =>
    checkPage('agency-edit', async (page, url) => {
      await page.goto(await firstAgencyHref(page, url));
      const edit = page.locator('main a', { hasText: /編集|Edit/ }).first();
      const href = await edit.getAttribute('href');
      assert.ok(href, `no 編集 / Edit link on ${page.url()}`);
      return page.goto(new URL(href, page.url()).href);
    }, { signedIn: true }));

  it('agency document form', TEST_TIMEOUT, () =>
    checkPage('agency-document-new', async (page, url) => page.goto(`${agencyPath(await firstAgencyHref(page, url))}/documents/new`), {
      signedIn: true,
    }));

  it('agency page with a document on it', TEST_TIMEOUT, () =>
    checkPage('agency-documents', async (page, url) => {
      await page.goto(`${agencyPath(await firstAgencyHref(page, url))}/documents/new`);
      await page.fill('input[name="title"]', '利用案内・相談の申込み方法（2026年度版）');
      await page.setInputFiles('input[name="file"]', {
        name: 'guide.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
      });
      const response = await navigation(page, () => page.locator('main form button[type="submit"]').click());
      assert.match(page.url(), /attached=1#documents$/);
      const link = page.locator('ul.documents a[download]', { hasText: '利用案内・相談の申込み方法（2026年度版）' });
      assert.equal(await link.count(), 1, 'the document is listed with a download link');
      return response;
    }, { signedIn: true }));

  it('new agency form /agencies/new', TEST_TIMEOUT, () =>
    checkPage('agency-new', (page, url) => page.goto(url('/agencies/new')), { signedIn: true }));

  it('new agency form submitted empty shows the error summary', TEST_TIMEOUT, () =>
    checkPage(
      'agency-new-errors',
      async (page, url) => {
        await page.goto(url('/agencies/new'));
        const form = page.locator('main form[method="post" i]').first();
        const submit = form.locator('button[type="submit"], button:not([type]), input[type="submit"]').last();
        const response = await navigation(page, () => submit.click());
        const summary = page.locator('.error-summary');
        assert.ok(await summary.isVisible(), `no visible .error-summary after submitting an empty form (${page.url()})`);
        assert.ok(
          (await summary.locator('h2, h3').count()) > 0,
          '.error-summary has no heading',
        );
        const targets = await summary.locator('a[href^="#"]').evaluateAll((links) =>
          links.map((a) => ({ href: a.getAttribute('href'), found: !!document.getElementById(decodeURIComponent(a.hash.slice(1))) })),
        );
        assert.ok(targets.length > 0, '.error-summary has no links to the fields');
        const broken = targets.filter((t) => !t.found).map((t) => t.href);
        assert.deepEqual(broken, [], `.error-summary links point to missing elements: ${broken.join(', ')}`);
        return response;
      },
      { expectStatus: (s) => s === 200 || s === 400 || s === 422, signedIn: true },
    ));

  it('blocks /blocks', TEST_TIMEOUT, () => checkPage('blocks', (page, url) => page.goto(url('/blocks'))));

  it('municipalities /municipalities', TEST_TIMEOUT, () =>
    checkPage('municipalities', (page, url) => page.goto(url('/municipalities'))));

  it('import form /agencies/import', TEST_TIMEOUT, () =>
    checkPage('agencies-import', (page, url) => page.goto(url('/agencies/import')), { signedIn: true }));

  it('block rename form /blocks/johoku/edit', TEST_TIMEOUT, () =>
    checkPage('block-edit', (page, url) => page.goto(url('/blocks/johoku/edit')), { signedIn: true }));

  it('municipality form /municipalities/131016/edit', TEST_TIMEOUT, () =>
    checkPage('municipality-edit', (page, url) => page.goto(url('/municipalities/131016/edit')), { signedIn: true }));

  it('sign-in page /login', TEST_TIMEOUT, () => checkPage('login', (page, url) => page.goto(url('/login'))));

  it('account page /account', TEST_TIMEOUT, () =>
    checkPage('account', (page, url) => page.goto(url('/account')), { signedIn: true }));

  it('audit log /admin/audit', TEST_TIMEOUT, () =>
    checkPage('audit', (page, url) => page.goto(url('/admin/audit')), { signedIn: true }));
  it('annual report /report (令和6年度, the program document\'s own history)', TEST_TIMEOUT, () =>
    checkPage('report', (page, url) => page.goto(url('/report?year=2024')), { signedIn: true, login: 'manager' }));
  it('annual report of the current year, with the figures counted so far', TEST_TIMEOUT, () =>
    checkPage('report-current', (page, url) => {
      const now = new Date();
      const fiscalYear = now.getMonth() < 3 ? now.getFullYear() - 1 : now.getFullYear();
      return page.goto(url(`/report?year=${fiscalYear}`));
    }, { signedIn: true, login: 'manager' }));
  it('a program with its figures and the form to enter one /programs/3-1', TEST_TIMEOUT, () =>
    checkPage('program', (page, url) => page.goto(url('/programs/3-1')), { signedIn: true, login: 'manager' }));
  it('the figure form sent with a figure that is no number shows the error summary', TEST_TIMEOUT, () =>
    checkPage('program-error', async (page, url) => {
      await page.goto(url('/programs/3-1'));
      await page.selectOption('#indicator', '3-1.advisers');
      await page.fill('#value', 'たくさん');
      const [response] = await Promise.all([page.waitForNavigation(), page.click('form[action$="/figures"] button[type=submit]')]);
      return response;
    }, { signedIn: true, login: 'manager', expectStatus: (s) => s === 422 }));
  it('program form /programs/7-A/edit', TEST_TIMEOUT, () =>
    checkPage('program-edit', (page, url) => page.goto(url('/programs/7-A/edit')), { signedIn: true, login: 'manager' }));
  it('job retention /report/retention', TEST_TIMEOUT, () =>
    checkPage('retention', (page, url) => page.goto(url('/report/retention')), { signedIn: true, login: 'manager' }));
  it('programs /programs', TEST_TIMEOUT, () =>
    checkPage('programs', (page, url) => page.goto(url('/programs')), { signedIn: true, login: 'manager' }));

  it('not-found page', TEST_TIMEOUT, () =>
    checkPage('not-found', (page, url) => page.goto(url('/no-such-page')), { expectStatus: (s) => s === 404 }));

  it('English directory /agencies?lang=en', TEST_TIMEOUT, () =>
    checkPage('agencies-en', (page, url) => page.goto(url('/agencies?lang=en')), { lang: 'en' }));
});

describe('accessibility of the start pages', () => {
  it('the caseworker dashboard /', TEST_TIMEOUT, () =>
    checkPage('dashboard', (page, url) => page.goto(url('/')), { signedIn: true, login: 'worker' }));

  it('the start page of an employer, with its guide', TEST_TIMEOUT, () =>
    checkPage('home-employer', (page, url) => page.goto(url('/')), { signedIn: true, login: 'employer' }));

  it('the caseload searched and filtered', TEST_TIMEOUT, () =>
    checkPage(
      'persons-filtered',
      (page, url) => page.goto(url('/persons?q=%E3%81%95&stage=job_search&sort=last_contact')),
      { signedIn: true, login: 'worker' },
    ));
});
