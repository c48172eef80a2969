import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../../console/session.js';
import { bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { createTenant, seriousAccessibilityViolations, sessionCookie, signIn } from '../support/browser-console.js';

describe('console sessions in Chromium: sign-in, sign-out, fixation, CSRF', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;

  beforeAll(async () => {
    api = await startAdminApi({ console: { secureCookies: false } });
    await createTenant(api, 'acme', 'Acme Outdoor');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('when a page is opened without a session, then the sign-in page is shown and it has no serious accessibility violation', async () => {
    const page = await browser.newPage(api.server.url);
    await page.goto('/console/tenants/acme');
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in to the console');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('when a wrong key is entered, then sign-in is refused with a message and no session cookie is set', async () => {
    const page = await browser.newPage(api.server.url);
    await page.goto('/console/sign-in');
    await page.getByLabel('API key').fill('not-a-key-at-all-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('That API key is not valid.');
    expect(await sessionCookie(page.context())).toBeUndefined();
  });

  it('when the bootstrap key signs in, then the overview of the asked page opens with an HttpOnly, SameSite=Strict cookie that holds no key', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, '/console/tenants/acme');
    expect(new URL(page.url()).pathname).toBe('/console/tenants/acme');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Acme Outdoor');
    const cookie = (await page.context().cookies()).find((candidate) => candidate.name === sessionCookieName)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(cookie.value).not.toContain(bootstrapKey);
    // htmx came from the console's own asset path (node_modules), allowed by its CSP.
    await page.waitForFunction(() => typeof (globalThis as { htmx?: unknown }).htmx === 'object');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('when a session id is planted before sign-in, then sign-in issues a different one and the planted one opens nothing', async () => {
    const context = await browser.newContext(api.server.url);
    const planted = 'planted-session-id-0123456789abcdef';
    await context.addCookies([{ name: sessionCookieName, value: planted, url: `${api.server.url}/console` }]);
    const page = await context.newPage();
    await signIn(page, bootstrapKey, '/console/tenants/acme');
    const issued = await sessionCookie(context);
    expect(issued).toBeDefined();
    expect(issued).not.toBe(planted);

    // Signing in again (same browser, live session) rotates the id as well.
    await signIn(page, bootstrapKey, '/console/tenants/acme');
    const rotated = await sessionCookie(context);
    expect(rotated).not.toBe(issued);
    const old = await fetch(`${api.server.url}/console/tenants/acme`, {
      headers: { cookie: `${sessionCookieName}=${issued}` },
      redirect: 'manual',
    });
    expect(old.status).toBe(303);
    expect(old.headers.get('location')).toContain('/console/sign-in');
  });

  it('when signing out, then the session ends on the server: the old cookie no longer opens a page', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, '/console/tenants/acme');
    const before = await sessionCookie(page.context());
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Signed out');
    expect(await sessionCookie(page.context())).toBeUndefined();
    const replayed = await fetch(`${api.server.url}/console/tenants/acme`, {
      headers: { cookie: `${sessionCookieName}=${before}` },
      redirect: 'manual',
    });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toContain('/console/sign-in');
  });

  it('when a form is posted with a wrong CSRF token or none, then it is refused 403 with a page saying why, and the session goes on', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, '/console/tenants/acme');
    for (const token of ['forged-token', undefined]) {
      const refused = await page.evaluate(async (csrf) => {
        const body = new URLSearchParams(csrf === undefined ? {} : { _csrf: csrf });
        const answer = await fetch('/console/sign-out', { method: 'POST', body });
        return { status: answer.status, text: await answer.text() };
      }, token);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('this form has expired or did not come from the console');
    }
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Acme Outdoor');
  });
});
