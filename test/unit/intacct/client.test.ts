import { describe, expect, it } from 'vitest';
import {
  IntacctAuthConfigError,
  IntacctClient,
  IntacctRetryableError,
  InMemorySessionCache,
  InMemoryTransactionCounter,
  readByName,
  reverseArpayment,
  type IntacctHttpResponse,
  type IntacctTransport,
} from '../../../connectors/intacct/index.js';

const credentials = { senderId: 'sender', senderPassword: 'sender-secret', companyId: 'CO', userId: 'user', userPassword: 'user-secret' };
const control =
  '<control><status>success</status><senderid>sender</senderid><controlid>r</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>';
const authentication = (timeout: string) =>
  `<authentication><status>success</status><userid>user</userid><companyid>CO</companyid><sessiontimestamp>2026-01-01T00:00:00+00:00</sessiontimestamp><sessiontimeout>${timeout}</sessiontimeout></authentication>`;
const session = (endpoint: string) =>
  `<response>${control}<operation>${authentication('2026-01-01T12:00:00+00:00')}<result><status>success</status><function>getAPISession</function><controlid>get-api-session</controlid><data><api><sessionid>sess-1..</sessionid><endpoint>${endpoint}</endpoint><locationid></locationid></api></data></result></operation></response>`;
const customer = `<response>${control}<operation>${authentication('2026-01-01T12:00:00+00:00')}<result><status>success</status><function>readByName</function><controlid>c</controlid><data listtype="CUSTOMER" count="1"><CUSTOMER><CUSTOMERID>C-1</CUSTOMERID></CUSTOMER></data></result></operation></response>`;

/** A transport that answers from a script and records what was sent where. */
function scripted(
  answers: Array<Partial<IntacctHttpResponse> & { body: string }>,
): IntacctTransport & { sent: Array<{ url: string; xml: string }> } {
  const sent: Array<{ url: string; xml: string }> = [];
  return {
    sent,
    post(url, xml) {
      sent.push({ url, xml });
      const answer = answers.shift();
      if (!answer) throw new Error('no scripted answer left');
      return Promise.resolve({ status: 200, contentType: 'text/xml', retryAfter: undefined, ...answer });
    },
  };
}

const now = () => Date.parse('2026-01-01T00:00:00Z');
const call = { controlId: 'c', body: readByName({ object: 'CUSTOMER', keys: ['C-1'] }) };

describe('Intacct client over an injected transport', () => {
  it('when getAPISession returns another intacct.com host, then later calls go there with the session id only', async () => {
    const transport = scripted([{ body: session('https://api-eu.intacct.com/ia/xml/xmlgw.phtml') }, { body: customer }]);
    const counter = new InMemoryTransactionCounter();
    const client = new IntacctClient({
      tenantId: 't',
      credentials,
      transport,
      now,
      sessionCache: new InMemorySessionCache(now),
      transactionCounter: counter,
    });
    const result = await client.executeOne(call);
    expect(result.data!.records).toEqual([{ CUSTOMERID: 'C-1' }]);
    expect(transport.sent.map((request) => request.url)).toEqual([
      'https://api.intacct.com/ia/xml/xmlgw.phtml',
      'https://api-eu.intacct.com/ia/xml/xmlgw.phtml',
    ]);
    expect(transport.sent[1]!.xml).toContain('<sessionid>sess-1..</sessionid>');
    expect(transport.sent[1]!.xml).not.toContain('user-secret');
    expect(counter.total('t')).toBe(2);
  });

  it('when getAPISession points at an untrusted host, then the client refuses to send credentials there', async () => {
    const transport = scripted([{ body: session('https://evil.example/ia/xml/xmlgw.phtml') }]);
    const client = new IntacctClient({ tenantId: 't', credentials, transport, now });
    await expect(client.executeOne(call)).rejects.toThrow(IntacctAuthConfigError);
    expect(transport.sent).toHaveLength(1);
  });

  it('when a 200 answer is an HTML page, then the failure is retryable with an unknown outcome', async () => {
    const transport = scripted([
      { body: session('https://api.intacct.com/ia/xml/xmlgw.phtml') },
      { body: '<html><body>Bad gateway</body></html>', contentType: 'text/html' },
    ]);
    const client = new IntacctClient({ tenantId: 't', credentials, transport, now });
    const error = await client.executeOne(call).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IntacctRetryableError);
    expect((error as IntacctRetryableError).outcomeUnknown).toBe(true);
  });

  it('when the gateway answers fewer results than functions, then the client does not guess which ran', async () => {
    const transport = scripted([{ body: session('https://api.intacct.com/ia/xml/xmlgw.phtml') }, { body: customer }]);
    const client = new IntacctClient({ tenantId: 't', credentials, transport, now });
    await expect(client.execute([call, { ...call, controlId: 'd' }])).rejects.toThrow(IntacctRetryableError);
  });

  it('when a session is near the expiry the gateway announced, then the cache drops it before use', () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const cache = new InMemorySessionCache(() => clock, 60_000);
    cache.set('k', { sessionId: 's', endpoint: 'e', expiresAt: clock + 120_000 });
    expect(cache.get('k')?.sessionId).toBe('s');
    clock += 60_001;
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('Intacct client: reads an outage answered are sent again', () => {
  const unavailable = { status: 503, contentType: 'text/html', body: '<html>Service unavailable</html>' };
  const readRetries = { attempts: 2, delayMs: 250, maxDelayMs: 2_000 };
  const clientOver = (transport: IntacctTransport, waited: number[]) =>
    new IntacctClient({
      tenantId: 't',
      credentials,
      transport,
      now,
      readRetries,
      sleep: (ms) => {
        waited.push(ms);
        return Promise.resolve();
      },
    });
  const signIn = { body: session('https://api.intacct.com/ia/xml/xmlgw.phtml') };

  it('when a read meets two 503s, then it is sent again after 250 and 500 ms and its answer returned', async () => {
    const transport = scripted([signIn, unavailable, unavailable, { body: customer }]);
    const waited: number[] = [];
    const result = await clientOver(transport, waited).executeOne(call);
    expect(result.data!.records).toEqual([{ CUSTOMERID: 'C-1' }]);
    expect(waited).toEqual([250, 500]);
    expect(transport.sent).toHaveLength(4);
  });

  it('when a read meets more outages than the retries allow, then the last failure is given back', async () => {
    const transport = scripted([signIn, unavailable, unavailable, unavailable]);
    const waited: number[] = [];
    await expect(clientOver(transport, waited).executeOne(call)).rejects.toThrow(IntacctRetryableError);
    expect(transport.sent).toHaveLength(4);
  });

  it('when a request holds a write, then an outage is given back at once: the write may have committed', async () => {
    const transport = scripted([signIn, unavailable]);
    const waited: number[] = [];
    const write = { controlId: 'w', body: reverseArpayment({ paymentKey: '7', dateReversed: '2026-01-01' }) };
    await expect(clientOver(transport, waited).executeOne(write)).rejects.toThrow(IntacctRetryableError);
    expect(waited).toEqual([]);
    expect(transport.sent).toHaveLength(2);
  });

  it('when the gateway asks for a wait longer than the cap, then the read is left to the caller', async () => {
    const transport = scripted([signIn, { status: 429, contentType: 'text/html', body: '<html>slow down</html>', retryAfter: '30' }]);
    const waited: number[] = [];
    const error = await clientOver(transport, waited)
      .executeOne(call)
      .catch((caught: unknown) => caught);
    expect((error as IntacctRetryableError).status).toBe(429);
    expect(waited).toEqual([]);
  });

  it('when the answer is a refusal of the request, then it is not sent again', async () => {
    const transport = scripted([signIn, { status: 400, contentType: 'text/html', body: '<html>bad request</html>' }]);
    const waited: number[] = [];
    await expect(clientOver(transport, waited).executeOne(call)).rejects.not.toBeInstanceOf(IntacctRetryableError);
    expect(transport.sent).toHaveLength(2);
  });
});
