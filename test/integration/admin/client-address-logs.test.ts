import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAuthFailureLimits } from '../../../api/admin/auth-failure-limiter.js';
import { createProductApp } from '../../../api/product-app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { createLogger } from '../../../config/logger.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

const bootstrapKey = 'client-address-bootstrap-key-0123456789';

interface LogLine {
  msg: string;
  status?: number;
  code?: string;
  clientAddress?: string;
  countedAs?: string;
  reason?: string;
}

/**
 * Finding 8 of the security review: an operator must be able to tell who is guessing admin keys
 * or forging webhooks. The product API runs in-process and its JSON log lines are read back;
 * X-Forwarded-For is believed only when the socket's peer is a proxy named in
 * API_TRUSTED_PROXIES, and the wrong-key limit counts the same address the logs name.
 */
describe('API logs: the client address, from a trusted proxy only', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let cipher: CredentialCipher;
  const running: RunningServer[] = [];

  beforeAll(async () => {
    const config = testConfig();
    database = await openTestDatabase(config);
    client = await connectTestClient(config);
    cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
  });
  afterAll(async () => {
    await Promise.all(running.map((server) => server.close()));
    await client?.close();
    await database?.drop();
  });

  /** The product API with its own wrong-key limiter (3 a minute), its log lines kept in `lines`. */
  const startApi = async (trustedProxies?: string[]) => {
    const lines: LogLine[] = [];
    const logger = createLogger({ logLevel: 'info' }, 'api', { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    const app = createProductApp({
      logger,
      ...(trustedProxies && { trustedProxies }),
      db: database.db,
      cipher,
      connectors: new ConnectorClients({ endpoints: sandboxEndpoints({}) }),
      temporal: { client, taskQueue: testConfig().temporal.taskQueue },
      bootstrapApiKey: bootstrapKey,
      authFailureLimits: { ...defaultAuthFailureLimits, maxFailures: 3 },
    });
    const server = await listen(app, 0, '127.0.0.1');
    running.push(server);
    const listTenants = async (key: string, forwardedFor?: string) =>
      (
        await fetch(`${server.url}/api/v1/tenants`, {
          headers: { authorization: `Bearer ${key}`, ...(forwardedFor !== undefined && { 'x-forwarded-for': forwardedFor }) },
        })
      ).status;
    return { url: server.url, lines, listTenants };
  };
  const wrongKey = () => `wrong-${uniqueId('key')}-${'x'.repeat(24)}`;
  const linesOf = (lines: LogLine[], msg: string, status?: number) =>
    lines.filter((line) => line.msg === msg && (status === undefined || line.status === status));

  it('when no proxy is trusted then a wrong key is logged with the socket address and a forged X-Forwarded-For neither hides nor escapes', async () => {
    const api = await startApi();
    // Each guess claims to come from somewhere else; none of that is believed.
    for (let guess = 1; guess <= 3; guess += 1) expect(await api.listTenants(wrongKey(), `198.51.100.${guess}`)).toBe(401);
    expect(await api.listTenants(bootstrapKey, '198.51.100.99')).toBe(429);

    const refused = linesOf(api.lines, 'request failed', 401);
    expect(refused).toHaveLength(3);
    for (const line of refused) expect(line).toMatchObject({ code: 'unauthorized', clientAddress: '127.0.0.1' });
    expect(linesOf(api.lines, 'request failed', 429)).toEqual([expect.objectContaining({ clientAddress: '127.0.0.1' })]);
    expect(linesOf(api.lines, 'request', 429)).toEqual([expect.objectContaining({ clientAddress: '127.0.0.1' })]);
    expect(linesOf(api.lines, 'admin API client shut out after too many wrong keys')).toEqual([
      expect.objectContaining({ clientAddress: '127.0.0.1', countedAs: '127.0.0.1' }),
    ]);
    expect(JSON.stringify(api.lines)).not.toContain('198.51.100.');
  });

  it('when the socket peer is a trusted proxy then the forwarded client is logged and counted, and other clients behind it are not shut out', async () => {
    const api = await startApi(['127.0.0.1']);
    // The leftmost entry is whatever the client sent; the proxy appended the address it saw.
    for (let guess = 1; guess <= 3; guess += 1) expect(await api.listTenants(wrongKey(), `10.9.9.9, 203.0.113.7`)).toBe(401);
    expect(await api.listTenants(bootstrapKey, '203.0.113.7')).toBe(429);
    expect(await api.listTenants(bootstrapKey, '203.0.113.8')).toBe(200);

    for (const line of linesOf(api.lines, 'request failed', 401)) expect(line.clientAddress).toBe('203.0.113.7');
    expect(linesOf(api.lines, 'request failed', 401)).toHaveLength(3);
    expect(linesOf(api.lines, 'request', 429)).toEqual([expect.objectContaining({ clientAddress: '203.0.113.7' })]);
    expect(linesOf(api.lines, 'request', 200)).toEqual([expect.objectContaining({ clientAddress: '203.0.113.8' })]);
    expect(linesOf(api.lines, 'admin API client shut out after too many wrong keys')).toEqual([
      expect.objectContaining({ clientAddress: '203.0.113.7' }),
    ]);
    expect(JSON.stringify(api.lines)).not.toContain('10.9.9.9');
  });

  it('when a client behind the trusted proxy has an IPv6 address then the logs keep it whole while the limit counts its /64', async () => {
    const api = await startApi(['loopback']);
    const first = '2001:db8:85a3:7:1:2:3:4';
    for (let guess = 1; guess <= 3; guess += 1) expect(await api.listTenants(wrongKey(), first)).toBe(401);
    // Another address of the same subscriber's /64 is still shut out.
    expect(await api.listTenants(bootstrapKey, '2001:db8:85a3:7:ffff:1:1:1')).toBe(429);
    expect(await api.listTenants(bootstrapKey, '2001:db8:85a3:8::1')).toBe(200);

    expect(linesOf(api.lines, 'request failed', 401).map((line) => line.clientAddress)).toEqual([first, first, first]);
    expect(linesOf(api.lines, 'request', 429)).toEqual([expect.objectContaining({ clientAddress: '2001:db8:85a3:7:ffff:1:1:1' })]);
    expect(linesOf(api.lines, 'admin API client shut out after too many wrong keys')).toEqual([
      expect.objectContaining({ clientAddress: first, countedAs: '2001:db8:85a3:7::/64' }),
    ]);
  });

  it('when a trusted proxy forwards something that is not an address then the socket peer is logged and counted', async () => {
    const api = await startApi(['127.0.0.1']);
    for (let guess = 1; guess <= 3; guess += 1) expect(await api.listTenants(wrongKey(), `not-an-address-${guess}`)).toBe(401);
    expect(await api.listTenants(bootstrapKey, 'not-an-address-4')).toBe(429);
    expect(linesOf(api.lines, 'request failed').map((line) => line.clientAddress)).toEqual(Array(4).fill('127.0.0.1'));
    expect(JSON.stringify(api.lines)).not.toContain('not-an-address');
  });

  it('when the socket peer is not among the trusted proxies then X-Forwarded-For is ignored', async () => {
    const api = await startApi(['10.0.0.0/8', 'fd00::/8']);
    expect(await api.listTenants(wrongKey(), '203.0.113.50')).toBe(401);
    expect(linesOf(api.lines, 'request failed', 401)).toEqual([expect.objectContaining({ clientAddress: '127.0.0.1' })]);
  });

  it('when a webhook fails authentication then each receiver logs the refusal with the forwarded client address', async () => {
    const api = await startApi(['127.0.0.1']);
    const response = await fetch(`${api.url}/webhooks/bigcommerce/${uniqueId('no-such-tenant')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.44', 'x-webhook-secret': 'forged' },
      body: JSON.stringify({ scope: 'store/order/created', store_id: '1', data: { type: 'order', id: 1 }, hash: 'h', created_at: 1 }),
    });
    expect(response.status).toBe(401);
    expect(linesOf(api.lines, 'bigcommerce webhook refused')).toEqual([expect.objectContaining({ clientAddress: '192.0.2.44' })]);
    expect(linesOf(api.lines, 'request', 401)).toEqual([expect.objectContaining({ clientAddress: '192.0.2.44' })]);

    const unsigned = await fetch(`${api.url}/webhooks/clarity/${uniqueId('no-such-tenant')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '2001:db8::44' },
      body: '{}',
    });
    expect(unsigned.status).toBe(401);
    expect(linesOf(api.lines, 'clarity webhook refused')).toEqual([
      expect.objectContaining({ clientAddress: '2001:db8::44', reason: 'missing webhook headers' }),
    ]);
  });
});
