// End-to-end test of the chat demo in headless Chromium: two users join one room, alice writes,
// both see it, bob answers, then bob switches rooms. Prints one JSON result line; exits 0 when the flow completed.
//   node chat-e2e.mjs <port> <screenshot.png> [chromium]
import { chromium } from 'playwright-core';

const [port, screenshot, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
const BASE = `http://127.0.0.1:${port}/`;
const ROOM = 'e2e';
const STEP_TIMEOUT_MS = 15_000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A page in its own browser context (its own user), recording page errors. */
async function openUser(browser, errors) {
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on('pageerror', e => errors.push(`pageerror: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(BASE);
  return page;
}

async function join(page, name, room = ROOM) {
  await page.fill('#name', name);
  await page.fill('#room', room);
  await page.click('#joinButton');
  await page.locator('#status', { hasText: `in #${room} as ${name}` }).waitFor();
}

async function say(page, text) {
  await page.fill('#text', text);
  await page.click('#sendButton');
}

/** Waits until the page's log has a line containing `text`. */
const seeLine = (page, text) => page.locator('#log li', { hasText: text }).first().waitFor();
const logLines = page => page.$$eval('#log li', lis => lis.map(li => li.textContent));
const status = page => page.textContent('#status');

async function main() {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 });
  const errors = [];
  try {
    const alice = await openUser(browser, errors);
    const bob = await openUser(browser, errors);
    await join(alice, 'alice');
    await join(bob, 'bob');
    await seeLine(alice, `bob joined #${ROOM}`);  // bob is subscribed: alice's next message reaches him
    await say(alice, 'hello bob');
    await seeLine(bob, 'alice: hello bob');
    await seeLine(alice, 'alice: hello bob');
    await say(bob, 'hi alice <b>not bold</b>');
    await seeLine(alice, 'bob: hi alice <b>not bold</b>');
    await alice.screenshot({ path: screenshot });
    const chat = {
      title: await alice.title(),
      alice: { status: await status(alice), log: await logLines(alice), boldNames: await alice.$$eval('#log li b', b => b.map(x => x.textContent)) },
      bob: { status: await status(bob), log: await logLines(bob) },
    };
    // Switching rooms: bob leaves #e2e, talks in #other, and alice does not hear it.
    await join(bob, 'bob', 'other');
    await seeLine(alice, 'bob left');
    await say(bob, 'anyone in other?');
    await seeLine(bob, 'bob: anyone in other?');
    await bob.waitForTimeout(300); // a leak to #e2e would have reached alice by now
    const switched = {
      status: await status(bob),
      sendEnabled: await bob.isEnabled('#text'),
      aliceHeardIt: (await logLines(alice)).some(l => l.includes('anyone in other?')),
    };
    console.log(JSON.stringify({ ...chat, switched, errors, screenshot }));
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  console.log(JSON.stringify({ error: String(e && e.stack || e) }));
  process.exit(1);
});
