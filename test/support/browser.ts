import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Flags of `chromium.args` (tuned for AWS Lambda) that would make the tests prove less:
 * `--single-process` lets browser contexts share network state (one context's request went
 * out with another context's cookies), and the other two switch off the same-origin policy and
 * mixed-content blocking that the console's security tests rely on the browser to enforce.
 */
const flagsLeftOut = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

/**
 * Launches Chromium headless: the system one named by CHROMIUM_PATH, else the binary the
 * `@sparticuz/chromium` package ships (unpacked to /tmp on first use, nothing downloaded).
 */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (await chromium.executablePath()),
    args: chromium.args.filter((flag) => !flagsLeftOut.has(flag)),
    headless: true,
  });
}

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
