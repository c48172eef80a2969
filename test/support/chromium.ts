import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';

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
