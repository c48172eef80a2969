import { afterEach, describe, expect, it } from 'vitest';
import { sessionCookieName, signInCookieName } from '../../../console/session.js';
import type { SessionLimits } from '../../../console/session.js';
import { startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';
import { createTenant, issueKey } from '../../support/browser-console.js';
import { eventually } from '../../support/eventually.js';

/** The console's session rules over plain HTTP: expiry, revocation, what is stored. */
describe('console sessions', () => {
  let api: AdminApiUnderTest | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  const start = async (sessionLimits?: SessionLimits) => {
    api = await startAdminApi({ console: { secureCookies: true, ...(sessionLimits && { sessionLimits }) } });
    await createTenant(api, 'acme');
    return api;
  };

  /** Signs in with `key` the way the form does; answers the session cookie and the Set-Cookie header. */
  async function signIn(running: AdminApiUnderTest, key: string): Promise<{ session: string; setCookie: string }> {
    const form = await fetch(`${running.server.url}/console/sign-in`);
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const signInCookie = form.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith(`${signInCookieName}=`))!
      .split(';')[0]!;
    const answer = await fetch(`${running.server.url}/console/sign-in`, {
      method: 'POST',
      headers: { cookie: signInCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, apiKey: key, next: '/console/tenants/acme' }),
      redirect: 'manual',
    });
    expect(answer.status).toBe(303);
    const setCookie = answer.headers.getSetCookie().find((cookie) => cookie.startsWith(`${sessionCookieName}=`))!;
    return { session: setCookie.split(';')[0]!, setCookie };
  }

  const overview = (running: AdminApiUnderTest, cookie: string) =>
    fetch(`${running.server.url}/console/tenants/acme`, { headers: { cookie }, redirect: 'manual' });

  it('when cookies are Secure (production), then the session cookie says Secure, HttpOnly and SameSite=Strict, and the store holds no key', async () => {
    const running = await start();
    const key = await issueKey(running, 'viewer', 'acme');
    const { setCookie, session } = await signIn(running, key);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    const stored = await running.database.db.collection('console_sessions').find().toArray();
    expect(stored).toHaveLength(1);
    const text = JSON.stringify(stored);
    expect(text).not.toContain(key);
    expect(text).not.toContain(session.split('=')[1]!);
    expect(Object.keys(stored[0]!).sort()).toEqual(
      ['_id', 'absoluteExpiresAt', 'createdAt', 'csrfToken', 'expiresAt', 'keyId', 'lastSeenAt', 'role', 'tenantId'].sort(),
    );
  });

  it('when a session passes its absolute lifetime, then its cookie opens nothing and the session is deleted', async () => {
    const running = await start({ idleMs: 60 * 60_000, absoluteMs: 1_500 });
    const { session } = await signIn(running, await issueKey(running, 'viewer', 'acme'));
    expect((await overview(running, session)).status).toBe(200);
    await eventually(async () => (await overview(running, session)).status, {
      until: (status) => status === 303,
      what: 'the session to expire',
    });
    expect(await running.database.db.collection('console_sessions').countDocuments()).toBe(0);
  });

  it('when the key a session was opened with is revoked, then the session ends at its next request', async () => {
    const running = await start();
    const key = await issueKey(running, 'operator', 'acme');
    const { session } = await signIn(running, key);
    expect((await overview(running, session)).status).toBe(200);
    const keyId = /^ssk_([a-f0-9]{16})_/.exec(key)![1]!;
    expect((await running.call('DELETE', `/api/v1/api-keys/${keyId}`)).status).toBe(204);
    const after = await overview(running, session);
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/console/sign-in?next=%2Fconsole%2Ftenants%2Facme');
  });

  it('when the sign-in form is posted without its own token, then it is refused 403 and no session starts', async () => {
    const running = await start();
    const answer = await fetch(`${running.server.url}/console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ apiKey: await issueKey(running, 'viewer', 'acme') }),
      redirect: 'manual',
    });
    expect(answer.status).toBe(403);
    expect(answer.headers.getSetCookie().some((cookie) => cookie.startsWith(`${sessionCookieName}=`))).toBe(false);
  });
});
