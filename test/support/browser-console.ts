import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { sessionCookieName } from '../../console/session.js';
import type { AdminApiUnderTest } from './admin-api.js';
import { bigCommerceConnection } from './admin-api.js';

const require = createRequire(import.meta.url);

/** Signs in through the console's form with `apiKey` and waits for the page it lands on. */
export async function signIn(page: Page, apiKey: string, path = '/console'): Promise<void> {
  await page.goto(`/console/sign-in?next=${encodeURIComponent(path)}`);
  await page.getByLabel('API key').fill(apiKey);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/sign-in')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** The session cookie the browser holds, if any. */
export async function sessionCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === sessionCookieName)?.value;
}

/** A tenant through the admin API (bootstrap key), with default settings. */
export async function createTenant(api: AdminApiUnderTest, id: string, name = id): Promise<void> {
  const created = await api.call('POST', '/api/v1/tenants', { body: { id, name, connection: bigCommerceConnection } });
  expect(created.status).toBe(201);
}

/** An API key through the admin API; answers its token. */
export async function issueKey(api: AdminApiUnderTest, role: 'viewer' | 'operator' | 'admin', tenantId: string | null): Promise<string> {
  const issued = await api.call('POST', '/api/v1/api-keys', { body: { name: `${role}-${tenantId ?? 'all'}`, role, tenantId } });
  expect(issued.status).toBe(201);
  return issued.body.token as string;
}

let axeSource: Promise<string> | undefined;

/**
 * axe-core's serious and critical violations on the page as it is now. The script is evaluated
 * through the DevTools protocol (not a `<script>` tag), which the console's CSP does not govern.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<Array<{ id: string; impact: string; targets: string[] }>> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> };
      }
    ).axe;
    const results = await axe.run();
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** The session's CSRF token as the page carries it for htmx (`hx-headers` on `<body>`). */
export async function csrfTokenOf(page: Page): Promise<string> {
  const headers = await page.locator('body').getAttribute('hx-headers');
  if (headers === null) throw new Error(`${page.url()} is not a signed-in console page`);
  return (JSON.parse(headers) as Record<string, string>)['X-CSRF-Token']!;
}

/** Whether keyboard focus is on the element `locator` names. */
export async function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate(
    (element) => element === (element as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement,
  );
}
