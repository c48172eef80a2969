import { describe, expect, it } from 'vitest';
import { InMemorySessionCache, IntacctClient, type IntacctTransport } from '../../../connectors/intacct/index.js';

const session = (id: string) => ({ sessionId: id, endpoint: 'https://api.intacct.com/ia/xml/xmlgw.phtml', expiresAt: undefined });

describe('InMemorySessionCache bounds', () => {
  it('when more sessions than the cap are cached, then the least recently used is forgotten', () => {
    const cache = new InMemorySessionCache(Date.now, 60_000, { maxEntries: 2 });
    cache.set('t1', session('s1'));
    cache.set('t2', session('s2'));
    cache.get('t1');
    cache.set('t3', session('s3'));
    expect(cache.get('t2')).toBeUndefined();
    expect(cache.get('t1')?.sessionId).toBe('s1');
    expect(cache.get('t3')?.sessionId).toBe('s3');
  });

  it('when a session without an announced expiry is unused for the idle time, then it is forgotten', () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const cache = new InMemorySessionCache(() => clock, 60_000, { idleMs: 10 * 60_000 });
    cache.set('k', session('s'));
    clock += 9 * 60_000;
    expect(cache.get('k')?.sessionId).toBe('s');
    clock += 10 * 60_000 + 1;
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('sessions shared by the clients of one process', () => {
  const control =
    '<control><status>success</status><senderid>sender</senderid><controlid>r</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>';
  const signedIn = (sessionId: string) =>
    `<response>${control}<operation><authentication><status>success</status><userid>user</userid><companyid>BOOKS-CO</companyid><sessiontimestamp>2026-01-01T00:00:00+00:00</sessiontimestamp></authentication><result><status>success</status><function>getAPISession</function><controlid>get-api-session</controlid><data><api><sessionid>${sessionId}</sessionid><endpoint></endpoint><locationid></locationid></api></data></result></operation></response>`;

  it('when another tenant names the same company, user and endpoint, or the same tenant another endpoint, then each signs in for itself', async () => {
    const cache = new InMemorySessionCache();
    const signIns: string[] = [];
    const transport: IntacctTransport = {
      post(url) {
        signIns.push(url);
        return Promise.resolve({ status: 200, contentType: 'text/xml', retryAfter: undefined, body: signedIn(`sess-${signIns.length}`) });
      },
    };
    const client = (tenantId: string, endpoint: string) =>
      new IntacctClient({
        tenantId,
        endpoint,
        credentials: { senderId: 'sender', senderPassword: 'sp', companyId: 'BOOKS-CO', userId: 'user', userPassword: 'up' },
        transport,
        sessionCache: cache,
      });
    const real = 'https://api.intacct.com/ia/xml/xmlgw.phtml';
    const other = 'https://api-eu.intacct.com/ia/xml/xmlgw.phtml';

    await client('victim', real).verifySignIn();
    await client('victim', real).verifySignIn();
    expect(signIns).toEqual([real]);
    await client('attacker', real).verifySignIn();
    await client('victim', other).verifySignIn();
    expect(signIns).toEqual([real, real, other]);
  });
});
