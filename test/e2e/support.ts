/**
 * End-to-end harness: the whole application listening on a free port (demo region seeded, private
 * database) and Debian's Chromium driven by playwright-core, plus the checks every page gets —
 * it answers 200 and axe-core finds no WCAG 2.1 A/AA violations.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  chromium,
  type Browser,
  type BrowserContextOptions,
  type Page,
  type Response,
} from 'playwright-core';
import { createTestApp, type TestApp } from '../support/app.ts';
import { totpCode } from '../support/staff.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface E2E {
  app: TestApp;
  browser: Browser;
  /** http://127.0.0.1:<port> */
  base: string;
  /** A fresh page in a fresh context (own cookies), Chinese unless told otherwise. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the app with the demo region and a browser; call close() in after(). */
export async function startE2E(): Promise<E2E> {
  const app = await createTestApp();
  const address = await app.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  return {
    app,
    browser,
    base: address,
    async newPage(options = {}) {
      const context = await browser.newContext({ baseURL: address, locale: 'zh-CN', ...options });
      return context.newPage();
    },
    async close() {
      await browser.close();
      await app.drop();
    },
  };
}

/** Goes to a URL and asserts it answered 200 with HTML. */
export async function visit(page: Page, url: string): Promise<Response> {
  const res = await page.goto(url);
  assert.ok(res, `no response for ${url}`);
  assert.equal(res.status(), 200, `${url} answered ${res.status()}`);
  assert.match(res.headers()['content-type'] ?? '', /text\/html/);
  return res;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA) on the page and fails listing every violation. */
export async function expectAccessible(page: Page): Promise<void> {
  // With JavaScript disabled, evaluate still runs but timers never fire, so axe.run would never
  // settle: find that out first and fail instead of hanging.
  let timer: NodeJS.Timeout | undefined;
  const timersRun = await Promise.race([
    page.evaluate(() => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 0))),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), 5_000);
    }),
  ]).finally(() => clearTimeout(timer));
  assert.ok(timersRun, `cannot run axe on ${page.url()}: is JavaScript disabled in this browser context?`);
  // Injected through CDP: the Content-Security-Policy rightly refuses inline script tags.
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (): Promise<Violation[]> => {
    type AxeRun = (
      context: Document,
      options: unknown,
    ) => Promise<{
      violations: {
        id: string;
        impact?: string | null;
        help: string;
        nodes: { target: unknown[]; failureSummary?: string }[];
      }[];
    }>;
    const axe = (window as unknown as { axe: { run: AxeRun } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
    }));
  });
  const report = violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
  assert.equal(violations.length, 0, `axe found violations on ${page.url()}:\n${report}`);
}

/**
 * Signs a staff member in through the pages, as a person would: the login form, then — for roles that
 * require it — the TOTP enrolment page (the secret read from the page, the code computed as an
 * authenticator app would), or the code page when `totpSecret` is known. Returns the TOTP secret.
 */
export async function signInThroughPages(
  page: Page,
  username: string,
  password: string,
  options: { next?: string; totpSecret?: string | null } = {},
): Promise<string | null> {
  const next = options.next ?? '/workbench';
  await visit(page, `/login?next=${encodeURIComponent(next)}`);
  await page.fill('#field-username', username);
  await page.fill('#field-password', password);
  await page.click('main form button[type="submit"]');
  await page.waitForLoadState();
  let secret = options.totpSecret ?? null;
  if (new URL(page.url()).pathname === '/account/mfa') {
    await expectAccessible(page);
    secret = ((await page.textContent('code.secret')) ?? '').replace(/\s+/g, '');
    await page.fill('#field-code', totpCode(secret));
    await page.click('main form button[type="submit"]');
    await page.waitForSelector('ul.recovery-codes');
    await expectAccessible(page);
    await page.click('main a.button');
    await page.waitForLoadState();
  } else if (new URL(page.url()).pathname === '/login/mfa') {
    assert.ok(secret, 'this account asks for a TOTP code: pass its secret');
    await expectAccessible(page);
    // The code used last is refused as a replay: the app's next code is accepted (±1 step).
    await page.fill('#field-code', totpCode(secret, Date.now() + 30_000));
    await page.click('main form button[type="submit"]');
    await page.waitForLoadState();
  }
  assert.equal(new URL(page.url()).pathname, next.split('?')[0], `signed in, at ${page.url()}`);
  return secret;
}
