import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './chromium.js';

export { launchBrowser } from './chromium.js';

/**
 * One browser for the whole test file (launched before its first test, closed after the last);
 * each test opens a context of its own with {@link BrowserUnderTest.newContext}, so cookies
 * never leak from one test to another.
 */
export interface BrowserUnderTest {
  browser(): Browser;
  /** A fresh context (own cookies) whose pages resolve paths against `baseUrl`; closed after the file. */
  newContext(baseUrl: string, options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a fresh context (`{ javaScriptEnabled: false }` for a browser without JavaScript). */
  newPage(baseUrl: string, options?: BrowserContextOptions): Promise<Page>;
}

/** Registers the file's browser hooks; call once at the top of a `describe`. */
export function useBrowser(): BrowserUnderTest {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
  });
  const newContext = async (baseUrl: string, options: BrowserContextOptions = {}) => {
    if (browser === undefined) throw new Error('the browser starts in beforeAll; open contexts inside tests');
    const context = await browser.newContext({ ...options, baseURL: baseUrl });
    contexts.push(context);
    return context;
  };
  return {
    browser: () => browser!,
    newContext,
    newPage: async (baseUrl, options) => (await newContext(baseUrl, options)).newPage(),
  };
}
