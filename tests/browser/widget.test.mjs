// The chat widget on the demo shop page, in Debian's Chromium, against a running `advisor serve`
// (ADVISOR_URL, default http://127.0.0.1:8080). Run by scripts/browser-test.sh, which starts the
// server; by hand: `node --test widget.test.mjs` in this folder. Screenshots go to
// target/screenshots/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.env.ADVISOR_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const ORIGIN = new URL(BASE).origin;
const SHOTS = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));
const TIMEOUT = 10_000;

let browser;

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // Without the background-networking flags Chromium fails on a machine without a network.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
});

/**
 * A fresh browser context (own sessionStorage) on the demo page. Requests to other origins are
 * recorded and refused: the widget may only load product images from elsewhere.
 */
async function openShop(lang, options = {}) {
  const shop = await openContext(lang, options);
  await shop.page.goto(`${BASE}/?lang=${lang}`, { waitUntil: 'domcontentloaded' });
  await shop.page.locator('.advisor-card').first().waitFor();
  return shop;
}

/** `openShop` without going anywhere yet. */
async function openContext(lang, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    locale: lang === 'de' ? 'de-DE' : 'en-US',
    ...options,
  });
  const foreign = [];
  await context.route('**/*', (route) => {
    const request = route.request();
    if (new URL(request.url()).origin === ORIGIN) return route.continue();
    foreign.push({ url: request.url(), type: request.resourceType() });
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Failed loads (refused images, the 404 and 409 the tests provoke) are checked by behaviour.
    if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  const done = async () => {
    assert.deepEqual(problems, [], 'no script errors, no CSP violations');
    const notImages = foreign.filter((request) => request.type !== 'image');
    assert.deepEqual(notImages, [], 'no requests to other origins but product images');
    await context.close();
  };
  return { context, page, done };
}

function widget(page) {
  return page.locator('advisor-widget');
}

async function shoot(page, name) {
  await page.screenshot({ path: `${SHOTS}${name}.png` });
}

/** The number of turns shown, and a wait until a new one is there. */
async function nextTurn(page, act) {
  const turns = widget(page).locator('.aw-turn');
  const before = await turns.count();
  await act();
  await turns.nth(before).waitFor();
  await assertNoError(page);
  return turns.nth(before);
}

async function assertNoError(page) {
  const status = widget(page).locator('.aw-status');
  const text = (await status.count()) ? (await status.textContent()).trim() : '';
  assert.equal(text, '', `the widget shows no error: ${text}`);
}

/** The option leaving the most products (not "no preference"): the longest way to a shortlist. */
async function widest(replies) {
  const options = replies.locator('.aw-option:not([data-no-preference])');
  const counts = (await options.locator('.aw-count').allTextContents()).map(Number);
  return options.nth(counts.indexOf(Math.max(...counts)));
}

/** Picks an option and, for a multiple choice, confirms it; resolves with the new turn. */
async function pick(page, option) {
  const confirm = widget(page).locator('.aw-replies .aw-confirm');
  if ((await confirm.count()) > 0) {
    await option.click();
    return nextTurn(page, () => confirm.click());
  }
  return nextTurn(page, () => option.click());
}

/** Answers each question with its widest option (a multiple choice: one wish, then confirm). */
async function walkToShortlist(page) {
  const w = widget(page);
  for (let step = 0; step < 12; step += 1) {
    // A fixed index: `.last()` would follow later turns.
    const last = w.locator('.aw-turn').nth((await w.locator('.aw-turn').count()) - 1);
    if ((await last.locator('.aw-card').count()) > 0) return last;
    const replies = w.locator('.aw-replies');
    const confirm = replies.locator('.aw-confirm');
    if ((await confirm.count()) > 0) {
      const wish = await widest(replies);
      const none = replies.locator('.aw-option[data-no-preference]');
      assert.equal(await confirm.isDisabled(), true, 'nothing chosen: confirm is disabled');
      await wish.click();
      if ((await none.count()) > 0) {
        // "No preference" is exclusive: it clears the wishes, and a wish clears it.
        await none.click();
        assert.equal(await wish.getAttribute('aria-pressed'), 'false');
        await wish.click();
        assert.equal(await none.getAttribute('aria-pressed'), 'false');
      }
      assert.equal(await wish.getAttribute('aria-pressed'), 'true');
      await nextTurn(page, () => confirm.click());
    } else {
      const option = await widest(replies);
      await nextTurn(page, () => option.click());
    }
  }
  throw new Error('no shortlist after 12 answers');
}

async function assertShortlist(turn, price) {
  const cards = turn.locator('.aw-card');
  const count = await cards.count();
  assert.ok(count >= 1, 'the shortlist has product cards');
  for (let i = 0; i < count; i += 1) {
    const card = cards.nth(i);
    const title = (await card.locator('.aw-card-title').textContent()).trim();
    assert.ok(title.length > 2, `card ${i} has a title`);
    assert.match(await card.locator('.aw-price').textContent(), price, `card ${i}: ${title}`);
    assert.ok((await card.locator('.aw-reasons li').count()) >= 1, `card ${i} says why: ${title}`);
    const href = await card.locator('a.aw-card-title').getAttribute('href');
    assert.match(href, /^https?:\/\//, `card ${i} links to the product`);
  }
  const alternatives = turn.locator('.aw-alternative');
  for (let i = 0; i < (await alternatives.count()); i += 1) {
    const misses = alternatives.nth(i).locator('.aw-misses');
    assert.ok((await misses.textContent()).trim().length > 0, 'an alternative says what it misses');
  }
  return count;
}

/** Opens the jackets advisor from its card on the page. */
async function askJackets(page) {
  const w = widget(page);
  await page.locator('.advisor-card[data-advisor="jackets"] button').click();
  await w.locator('.aw-panel').waitFor({ state: 'visible' });
  await w.locator('.aw-turn').first().waitFor();
  await w.locator('.aw-replies .aw-option').first().waitFor();
}

test('English: a full conversation to the shortlist, back, restart, and a reload resumes it', async () => {
  const { page, done } = await openShop('en');
  await shoot(page, 'demo-page-en');
  await askJackets(page);
  const w = widget(page);
  await w.locator('.aw-title', { hasText: 'Find your jacket' }).waitFor();
  assert.equal(await w.locator('.aw-handoff').textContent(), 'Talk to a person');
  assert.equal(await w.locator('.aw-send').textContent(), 'Send');
  assert.match(await w.locator('.aw-bot').first().textContent(), /Hi!/);
  const counts = await w.locator('.aw-replies .aw-count').allTextContents();
  assert.ok(counts.length > 1 && counts.every((c) => /^\d+$/.test(c)), `counts: ${counts}`);
  // The shop's CSS sets buttons in upper case; the widget's shadow root keeps it out.
  const transform = await w
    .locator('.aw-option')
    .first()
    .evaluate((button) => getComputedStyle(button).textTransform);
  assert.equal(transform, 'none');
  await shoot(page, 'en-question');
  const firstQuestion = await w.locator('.aw-turn .aw-bot').last().textContent();

  const first = await walkToShortlist(page);
  await assertShortlist(first, /\$\d+\.\d{2}/);
  await shoot(page, 'en-shortlist');

  // "More like this" on a product: a new shortlist; the old cards' buttons are switched off.
  const similar = first.locator('.aw-card [data-action="similar"]').first();
  const shortlist = await nextTurn(page, () => similar.click());
  const cards = await assertShortlist(shortlist, /\$\d+\.\d{2}/);
  assert.equal(await similar.isDisabled(), true);
  const turnShown = await shortlist.getAttribute('data-turn');

  // A reload resumes the same conversation, panel open, shortlist shown.
  await page.reload({ waitUntil: 'domcontentloaded' });
  const resumed = w.locator('.aw-turn').last();
  await resumed.locator('.aw-card').first().waitFor();
  assert.equal(await resumed.getAttribute('data-turn'), turnShown);
  assert.equal(await resumed.locator('.aw-card').count(), cards);
  await w.locator('.aw-title', { hasText: 'Find your jacket' }).waitFor();
  assert.equal(await page.locator('advisor-widget').count(), 1, 'one widget after the reload');

  // Back undoes "more like this": the first shortlist again; back once more: the last question.
  const undone = await nextTurn(page, () => w.locator('.aw-replies [data-action="back"]').click());
  assert.ok((await undone.locator('.aw-card').count()) > 0, 'the first shortlist again');
  assert.equal(await undone.locator('.aw-user').textContent(), 'You said: Back');
  const back = await nextTurn(page, () => w.locator('.aw-replies [data-action="back"]').click());
  assert.equal(await back.locator('.aw-card').count(), 0);
  assert.ok((await w.locator('.aw-replies .aw-option').count()) > 0, 'a question is on offer');
  assert.match(await back.locator('.aw-user').textContent(), /Back/);

  // Restart: the first question again.
  const restart = await nextTurn(page, () => w.locator('.aw-replies [data-action="restart"]').click());
  assert.equal(await restart.locator('.aw-card').count(), 0);
  assert.ok((await w.locator('.aw-replies .aw-option').count()) > 0);
  assert.equal(await restart.locator('.aw-bot').last().textContent(), firstQuestion);
  await shoot(page, 'en-restarted');

  // Free text works too.
  await w.locator('.aw-text').fill("I'm after a rain jacket for hiking, for women, up to $80");
  const typed = await nextTurn(page, () => w.locator('.aw-text').press('Enter'));
  assert.match(await typed.locator('.aw-user').textContent(), /rain jacket/);
  assert.match(await typed.locator('.aw-bot').first().textContent(), /Got it: .*Rain.*up to \$80/);
  await done();
});

test('German: the conversation, the widget and the prices in German', async () => {
  const { page, done } = await openShop('de');
  assert.equal(await page.locator('h1').textContent(), 'Gut ausgerüstet bei jedem Wetter');
  await askJackets(page);
  const w = widget(page);
  await w.locator('.aw-title', { hasText: 'Finde deine Jacke' }).waitFor();
  assert.equal(await w.locator('.aw-handoff').textContent(), 'Mit einem Menschen sprechen');
  assert.equal(await w.locator('.aw-send').textContent(), 'Senden');
  assert.equal(await w.locator('.aw-root').getAttribute('lang'), 'de');
  assert.match(await w.locator('.aw-bot').first().textContent(), /Hallo!/);
  assert.match(await w.locator('.aw-bot').nth(1).textContent(), /Wie|Was|Wofür|Wovor|Für wen/);
  const shortlist = await walkToShortlist(page);
  await assertShortlist(shortlist, /\d+,\d{2}\s\$/);
  assert.match(await shortlist.locator('.aw-bot').last().textContent(), /Jacke|passend|nahe/);
  assert.match(await w.locator('.aw-replies [data-action="back"]').textContent(), /Zurück/);
  await shoot(page, 'de-shortlist');
  await done();
});

test('Talk to a person: the conversation is handed off and shows the contact', async () => {
  const { page, done } = await openShop('en');
  await askJackets(page);
  const w = widget(page);
  await pick(page, w.locator('.aw-replies .aw-option').first());
  const handed = await nextTurn(page, () => w.locator('.aw-handoff').click());
  await w.locator('.aw-root[data-state="handed_off"]').waitFor({ state: 'attached' });
  assert.match(await handed.locator('.aw-user').textContent(), /Talk to a person/);
  const contact = (await handed.locator('.aw-bot').allTextContents()).join(' ');
  assert.ok(contact.trim().length > 10, `the handoff message names the contact: ${contact}`);
  const email = contact.match(/[\w.+-]+@[\w.-]+\.[a-z]{2,}/i);
  if (email) {
    const link = handed.locator(`.aw-bot a[href="mailto:${email[0]}"]`);
    assert.equal(await link.count(), 1, 'the e-mail address is a link');
  }
  await handed.locator('.aw-handed-off-note').waitFor();
  assert.equal(await w.locator('.aw-form').isHidden(), true, 'no more text to the advisor');
  assert.equal(await w.locator('.aw-replies .aw-option').count(), 0, 'no more questions');
  assert.equal(await w.locator('.aw-handoff').isDisabled(), true);
  await shoot(page, 'handoff');
  // A new conversation can be started from there.
  const again = w.locator('.aw-replies [data-action="restart"], .aw-replies [data-action="new"]');
  await again.first().click();
  await w.locator('.aw-root[data-state="awaiting_input"]').waitFor({ state: 'attached' });
  await w.locator('.aw-replies .aw-option').first().waitFor();
  await done();
});

test('Resilience: a dropped request is retried with the same id, a conflict shows its detail, an expired conversation starts anew', async () => {
  const { page, done } = await openShop('en');
  await askJackets(page);
  const w = widget(page);

  const bodies = [];
  await page.route('**/v1/conversations/*/turns', async (route) => {
    bodies.push(route.request().postDataJSON());
    if (bodies.length === 1) return route.abort('connectionreset');
    return route.continue();
  });
  const widestOption = await widest(w.locator('.aw-replies'));
  await pick(page, widestOption);
  await page.unroute('**/v1/conversations/*/turns');
  assert.equal(bodies.length, 2, 'one retry');
  assert.match(bodies[0].client_message_id, /^[0-9a-f-]{36}$/);
  assert.equal(bodies[1].client_message_id, bodies[0].client_message_id, 'the retry has the same id');
  assert.equal(bodies[0].expected_turn, 0);
  assert.deepEqual(bodies[1], bodies[0]);

  // Another tab moves the conversation on: the widget's turn is refused with 409, it shows the
  // problem's detail and the conversation as it is now.
  const id = await page.evaluate(() => {
    const key = Object.keys(sessionStorage).find(
      (k) => k.startsWith('advisor-widget:') && !k.endsWith(':open') && !k.endsWith(':advisor') && k.includes(':jackets:'),
    );
    return sessionStorage.getItem(key);
  });
  assert.match(id, /^[0-9a-f]{32}$/);
  const skipped = await page.evaluate(async (id) => {
    const response = await fetch(`/v1/conversations/${id}/turns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { type: 'action', name: 'back' } }),
    });
    return response.status;
  }, id);
  assert.equal(skipped, 200);
  const turns = w.locator('.aw-turn');
  const before = await turns.count();
  await w.locator('.aw-replies [data-action="skip"]').click();
  await turns.nth(before).waitFor();
  const detail = (await w.locator('.aw-status').textContent()).trim();
  assert.ok(detail.length > 10, `the problem's detail is shown: ${detail}`);
  assert.equal(await turns.nth(before).getAttribute('data-turn'), '2', 'the current reply is shown');
  await shoot(page, 'conflict-detail');

  // The conversation is gone (expired): a reload starts a new one instead of an error.
  const deleted = await page.evaluate(
    async (id) => (await fetch(`/v1/conversations/${id}`, { method: 'DELETE' })).status,
    id,
  );
  assert.equal(deleted, 204);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await w.locator('.aw-turn[data-turn="0"] .aw-bot', { hasText: 'Hi!' }).waitFor();
  await assertNoError(page);
  await done();
});

test('Keyboard: Tab reaches the launcher, Enter opens, Space answers, Escape closes', async () => {
  const { page, done } = await openShop('en');
  await page.locator('advisor-widget .aw-launcher').waitFor();
  const onLauncher = () =>
    page.evaluate(() => {
      const host = document.activeElement;
      return Boolean(
        host?.tagName === 'ADVISOR-WIDGET' && host.shadowRoot?.activeElement?.classList.contains('aw-launcher'),
      );
    });
  let tabs = 0;
  while (!(await onLauncher())) {
    tabs += 1;
    assert.ok(tabs <= 40, 'the launcher is reachable with Tab');
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  const w = widget(page);
  await w.locator('.aw-panel').waitFor({ state: 'visible' });
  assert.equal(await w.locator('.aw-launcher').getAttribute('aria-expanded'), 'true');
  assert.equal(await w.locator('.aw-panel').getAttribute('role'), 'dialog');
  assert.equal(await w.locator('.aw-log').getAttribute('aria-live'), 'polite');
  // Once the first question is there, the focus is on its first option.
  const first = w.locator('.aw-replies .aw-option').first();
  await first.waitFor();
  await page.waitForFunction(() =>
    document.querySelector('advisor-widget')?.shadowRoot?.activeElement?.classList.contains('aw-option'),
  );
  await shoot(page, 'keyboard-open');
  await nextTurn(page, () => page.keyboard.press('Space'));
  await page.waitForFunction(() => {
    const active = document.querySelector('advisor-widget')?.shadowRoot?.activeElement;
    return active && active.closest('.aw-panel');
  });
  await page.keyboard.press('Escape');
  await w.locator('.aw-panel').waitFor({ state: 'hidden' });
  assert.equal(await onLauncher(), true, 'the focus is back on the launcher');
  assert.equal(await w.locator('.aw-launcher').getAttribute('aria-expanded'), 'false');
  await done();
});

test('Phone: the open panel fills a 390×844 screen', async () => {
  const { page, done } = await openShop('en', {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  await shoot(page, 'phone-page');
  await askJackets(page);
  const box = await widget(page).locator('.aw-panel').boundingBox();
  assert.ok(box, 'the panel is shown');
  assert.ok(Math.abs(box.x) <= 1 && Math.abs(box.y) <= 1, `at the corner: ${JSON.stringify(box)}`);
  assert.ok(Math.abs(box.width - 390) <= 1 && Math.abs(box.height - 844) <= 1, JSON.stringify(box));
  await widget(page).locator('.aw-close').waitFor({ state: 'visible' });
  await shoot(page, 'phone-question');
  await walkToShortlist(page);
  await shoot(page, 'phone-shortlist');
  await widget(page).locator('.aw-close').click();
  await widget(page).locator('.aw-panel').waitFor({ state: 'hidden' });
  await done();
});

/** The feedback events the widget posts (`POST …/events`), in order. */
function recordEvents(page) {
  const events = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && /\/v1\/conversations\/[^/]+\/events$/.test(request.url())) {
      events.push(request.postDataJSON());
    }
  });
  return events;
}

async function eventually(check, what) {
  for (let i = 0; i < 100; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`never happened: ${what}`);
}

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

test('Shortlist extras on a phone: "goes well with" under the cards, the next step with its why, "No thanks"', async () => {
  const { page, done } = await openShop('en', PHONE);
  const events = recordEvents(page);
  await askJackets(page);
  const w = widget(page);
  const shortlist = await walkToShortlist(page);

  const pairs = shortlist.locator('.aw-pairs-list');
  assert.ok((await pairs.count()) >= 1, 'at least one card has products that go well with it');
  assert.match(await pairs.first().getAttribute('aria-label'), /^Goes well with ./);
  const pair = pairs.first().locator('.aw-pair').first();
  assert.ok((await pair.locator('.aw-pair-title').textContent()).trim().length > 2, 'a companion has a title');
  assert.match(await pair.locator('.aw-pair-why').textContent(), /(Goes well|bought together) with ./);
  assert.match(await pair.locator('a.aw-pair-title').getAttribute('href'), /^https?:\/\//);
  // Inside the phone's width; a longer row scrolls sideways inside the card.
  const row = await shortlist.locator('.aw-pairs').first().boundingBox();
  assert.ok(row.x >= 0 && row.x + row.width <= 390, `the row fits the screen: ${JSON.stringify(row)}`);
  await pair.locator('a.aw-pair-title').focus();
  assert.equal(
    await page.evaluate(() => document.querySelector('advisor-widget').shadowRoot.activeElement?.className),
    'aw-pair-title',
    'a companion link takes the keyboard focus',
  );
  await shortlist.locator('.aw-card').first().evaluate((card) => card.scrollIntoView({ block: 'start' }));
  await shoot(page, 'phone-shortlist-goes-well-with');

  const next = shortlist.locator('.aw-next');
  assert.equal(await next.count(), 1, 'one next step after the shortlist');
  const step = await next.getAttribute('data-step');
  assert.ok(step, 'the next step has an id');
  assert.ok((await next.locator('.aw-next-text').textContent()).trim().length > 10, 'it says what it proposes');
  await next.locator('.aw-next-why summary').click();
  const why = next.locator('.aw-next-why-text');
  await why.waitFor({ state: 'visible' });
  assert.ok((await why.textContent()).trim().length > 10, 'it says why');
  const box = await next.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the box fits the screen: ${JSON.stringify(box)}`);
  await next.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await shoot(page, 'phone-next-step');

  // "No thanks": reported as declined, and the box goes away.
  await next.locator('.aw-next-no').click();
  await next.waitFor({ state: 'hidden' });
  await eventually(() => events.some((e) => e.type === 'next_step_rejected'), 'next_step_rejected posted');
  assert.deepEqual(events, [{ type: 'next_step_rejected', step }]);
  await assertNoError(page);
  await done();
});

test('A click on a companion product is reported as product_clicked; the product page opens in a new tab', async () => {
  const { context, page, done } = await openShop('en');
  // The product pages are on the shop's (fictional) host: answer them here, nothing leaves the machine.
  const opened = [];
  await context.route(/^https:\/\/luma\.example\.com\//, (route) => {
    opened.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Product</title><p>Product</p>' });
  });
  const events = recordEvents(page);
  await askJackets(page);
  const shortlist = await walkToShortlist(page);
  const pair = shortlist.locator('.aw-pair').first();
  const product = await pair.getAttribute('data-product');
  const link = pair.locator('a.aw-pair-title');
  const href = await link.getAttribute('href');
  const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await tab.waitForLoadState('domcontentloaded');
  assert.equal(tab.url(), href, 'the product page opened in a new tab');
  assert.deepEqual(opened, [href]);
  await eventually(() => events.some((e) => e.type === 'product_clicked'), 'product_clicked posted');
  assert.deepEqual(events, [{ type: 'product_clicked', product_id: product }]);
  await tab.close();
  await assertNoError(page);
  await done();
});

test('data-context: the start carries the page\'s context (and data-opt-out), the first reply goes by it', async () => {
  const { page, done } = await openContext('en');
  // A shop page embedding the widget with the one tag, served from the advisor's origin.
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>Shop</h1>
<script src="/widget.js" data-advisor="jackets" data-locale="en" data-opt-out
  data-context='{"when":"today","temperature_c":28,"weather":"sunny"}'></script></body></html>`;
  await page.route(`${BASE}/context-shop.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: html }),
  );
  const starts = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/v1/conversations') {
      starts.push(request.postDataJSON());
    }
  });
  await page.goto(`${BASE}/context-shop.html`, { waitUntil: 'domcontentloaded' });
  const w = widget(page);
  await w.locator('.aw-launcher').click();
  await w.locator('.aw-turn').first().waitFor();
  await assertNoError(page);
  assert.deepEqual(starts, [
    {
      advisor: 'jackets',
      locale: 'en',
      context: { when: 'today', temperature_c: 28, weather: 'sunny' },
      opt_out: true,
    },
  ]);
  const said = (await w.locator('.aw-turn').first().locator('.aw-bot').allTextContents()).join(' ');
  assert.match(said, /heading out today/, `the first reply says it went by the context: ${said}`);
  await shoot(page, 'context-first-reply');
  await done();
});

test('A next step to another advisor: accepted, that advisor starts in the same widget and stays after a reload', async () => {
  const { page, done } = await openShop('en');
  // The jackets' next steps depend on the answers: make whichever is proposed one to sportswear.
  await page.route('**/v1/conversations/*/turns', async (route) => {
    const response = await route.fetch();
    const reply = await response.json();
    if (reply.next_step) {
      reply.next_step = { ...reply.next_step, kind: 'advisor', advisor: 'sportswear' };
      delete reply.next_step.products;
      delete reply.next_step.url;
      delete reply.next_step.input;
    }
    return route.fulfill({ response, json: reply });
  });
  const events = recordEvents(page);
  const starts = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/v1/conversations') {
      starts.push(request.postDataJSON().advisor);
    }
  });
  await askJackets(page);
  const w = widget(page);
  const shortlist = await walkToShortlist(page);
  const next = shortlist.locator('.aw-next');
  const step = await next.getAttribute('data-step');
  await next.locator('.aw-next-go').click();
  await w.locator('.aw-title', { hasText: 'Find your sportswear' }).waitFor();
  await w.locator('.aw-replies .aw-option').first().waitFor();
  assert.equal(await w.locator('.aw-card').count(), 0, 'the jackets are gone: a new conversation');
  assert.equal(starts.at(-1), 'sportswear');
  await eventually(() => events.some((e) => e.type === 'next_step_accepted'), 'next_step_accepted posted');
  assert.deepEqual(events, [{ type: 'next_step_accepted', step }]);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await w.locator('.aw-title', { hasText: 'Find your sportswear' }).waitFor();
  await w.locator('.aw-replies .aw-option').first().waitFor();
  await assertNoError(page);
  await done();
});
