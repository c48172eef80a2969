import { describe, expect, it } from 'vitest';
import {
  IntacctAuthConfigError,
  IntacctClient,
  IntacctRequestSlots,
  IntacctSlotKeys,
  type IntacctTransport,
} from '../../../connectors/intacct/index.js';

const endpoint = 'https://api.intacct.com/ia/xml/xmlgw.phtml';
const requester = (tenantId: string, overrides: { endpoint?: string; companyId?: string } = {}) => ({
  tenantId,
  endpoint: overrides.endpoint ?? endpoint,
  companyId: overrides.companyId ?? 'BOOKS-CO',
});

describe('IntacctSlotKeys', () => {
  it('when tenants have not signed in, then each has slots of its own even when they name the same company', () => {
    const keys = new IntacctSlotKeys();
    expect(keys.slotKey(requester('victim'))).not.toBe(keys.slotKey(requester('attacker')));
  });

  it('when both tenants have signed in to the company at the endpoint, then they share its slots', () => {
    const keys = new IntacctSlotKeys();
    keys.recordSignIn(requester('store-a'));
    keys.recordSignIn(requester('store-b'));
    expect(keys.slotKey(requester('store-a'))).toBe(keys.slotKey(requester('store-b')));
  });

  it('when a tenant has not signed in yet, then its installation-wide key is still the company at its endpoint', () => {
    const keys = new IntacctSlotKeys();
    keys.recordSignIn(requester('store-a'));
    expect(keys.companyKey(requester('store-b'))).toBe(keys.slotKey(requester('store-a')));
    expect(keys.companyKey(requester('store-b'))).toBe(keys.companyKey(requester('store-a')));
    expect(keys.companyKey(requester('attacker', { endpoint: 'http://127.0.0.1:9/ia/xml/xmlgw.phtml' }))).not.toBe(
      keys.companyKey(requester('store-a')),
    );
  });

  it('when only one of them has signed in, then the other still has its own slots', () => {
    const keys = new IntacctSlotKeys();
    keys.recordSignIn(requester('victim'));
    expect(keys.slotKey(requester('attacker'))).not.toBe(keys.slotKey(requester('victim')));
  });

  it('when a tenant signed in at another endpoint, then it does not share the company slots of this one', () => {
    const keys = new IntacctSlotKeys();
    keys.recordSignIn(requester('victim'));
    // A "successful" sign-in at the tenant's own server proves nothing about the company at Intacct.
    keys.recordSignIn(requester('attacker', { endpoint: 'http://127.0.0.1:9/ia/xml/xmlgw.phtml' }));
    expect(keys.slotKey(requester('attacker', { endpoint: 'http://127.0.0.1:9/ia/xml/xmlgw.phtml' }))).not.toBe(
      keys.slotKey(requester('victim')),
    );
  });

  it('when a sign-in is refused, then the proof is withdrawn', () => {
    const keys = new IntacctSlotKeys();
    keys.recordSignIn(requester('store-a'));
    keys.recordSignIn(requester('store-b'));
    keys.forgetSignIn(requester('store-b'));
    expect(keys.slotKey(requester('store-b'))).not.toBe(keys.slotKey(requester('store-a')));
  });

  it('when a proof is older than its lifetime, then it no longer counts', () => {
    let clock = 0;
    const keys = new IntacctSlotKeys({ proofTtlMs: 1_000, now: () => clock });
    keys.recordSignIn(requester('store-a'));
    keys.recordSignIn(requester('store-b'));
    clock = 999;
    expect(keys.slotKey(requester('store-a'))).toBe(keys.slotKey(requester('store-b')));
    clock = 1_000;
    expect(keys.slotKey(requester('store-a'))).not.toBe(keys.slotKey(requester('store-b')));
  });

  it('when more proofs than the cap are recorded, then the least recently used is dropped', () => {
    const keys = new IntacctSlotKeys({ maxEntries: 2 });
    keys.recordSignIn(requester('store-a'));
    keys.recordSignIn(requester('store-b'));
    keys.recordSignIn(requester('store-c'));
    const shared = keys.slotKey(requester('store-c'));
    expect(keys.slotKey(requester('store-b'))).toBe(shared);
    expect(keys.slotKey(requester('store-a'))).not.toBe(shared);
  });
});

const control =
  '<control><status>success</status><senderid>sender</senderid><controlid>r</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>';
const signedIn = `<response>${control}<operation><authentication><status>success</status><userid>user</userid><companyid>BOOKS-CO</companyid><sessiontimestamp>2026-01-01T00:00:00+00:00</sessiontimestamp></authentication><result><status>success</status><function>getAPISession</function><controlid>get-api-session</controlid><data><api><sessionid>sess-1..</sessionid><endpoint>${endpoint}</endpoint><locationid></locationid></api></data></result></operation></response>`;
const refused = `<response>${control}<operation><authentication><status>failure</status><userid>user</userid><companyid>BOOKS-CO</companyid></authentication><errormessage><error><errorno>XL03000006</errorno><description></description><description2>Sign-in information is incorrect</description2><correction></correction></error></errormessage></operation></response>`;

describe('IntacctClient with shared slot keys', () => {
  const transport = (answer: () => string): IntacctTransport => ({
    post: () => Promise.resolve({ status: 200, contentType: 'text/xml', retryAfter: undefined, body: answer() }),
  });
  const client = (tenantId: string, keys: IntacctSlotKeys, answer: () => string) =>
    new IntacctClient({
      tenantId,
      credentials: { senderId: 'sender', senderPassword: 'sp', companyId: 'BOOKS-CO', userId: 'user', userPassword: 'up' },
      transport: transport(answer),
      requestSlots: new IntacctRequestSlots(),
      slotKeys: keys,
    });

  it('when the gateway accepts a sign-in, then the tenant joins the company slots; when it later refuses one, it leaves them', async () => {
    const keys = new IntacctSlotKeys();
    await client('store-a', keys, () => signedIn).verifySignIn();
    await client('store-b', keys, () => signedIn).verifySignIn();
    expect(keys.slotKey(requester('store-b'))).toBe(keys.slotKey(requester('store-a')));

    await expect(client('store-b', keys, () => refused).verifySignIn()).rejects.toThrow(IntacctAuthConfigError);
    expect(keys.slotKey(requester('store-b'))).not.toBe(keys.slotKey(requester('store-a')));
  });
});
