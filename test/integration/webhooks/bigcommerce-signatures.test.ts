import { createHmac, randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductApp } from '../../../api/product-app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { saveCredentials } from '../../../store/credentials.js';
import { createTenant } from '../../../store/tenants.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

/**
 * BigCommerce's signed deliveries at the product API as it runs (tenant secrets and credentials
 * sealed in FerretDB): the Standard Webhooks signature, keyed by the bytes of the API account's
 * client secret, and its timestamp are checked when present; the secret header stays required,
 * and is all a store that does not sign is checked by.
 */
describe('BigCommerce webhook signatures', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let api: RunningServer;
  const signingTenant = uniqueId('bc-signed');
  const tenantWithoutCredentials = uniqueId('bc-nocreds');
  const headerSecret = randomBytes(24).toString('base64url');
  const clientSecret = randomBytes(18).toString('hex');

  beforeAll(async () => {
    const config = testConfig();
    database = await openTestDatabase(config);
    client = await connectTestClient(config);
    const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
    for (const id of [signingTenant, tenantWithoutCredentials]) {
      await createTenant(database.db, { id, name: id, storefront: 'bigcommerce' });
      await saveCredentials(database.db, cipher, id, 'webhook', {
        secrets: [{ secret: headerSecret, createdAt: new Date().toISOString() }],
      });
    }
    await saveCredentials(database.db, cipher, signingTenant, 'bigcommerce', { accessToken: 'token', clientId: 'client', clientSecret });
    const app = createProductApp({
      logger: pino({ level: 'silent' }),
      db: database.db,
      cipher,
      connectors: new ConnectorClients({ endpoints: sandboxEndpoints({}) }),
      temporal: { client, taskQueue: config.temporal.taskQueue },
    });
    api = await listen(app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await api?.close();
    await client?.close();
    await database?.drop();
  });

  /** A customer update: authentic ones are acknowledged without starting anything. */
  const envelope = () => {
    const hash = randomBytes(20).toString('hex');
    const body = JSON.stringify({
      scope: 'store/customer/deleted',
      store_id: '1001',
      data: { type: 'customer', id: 42 },
      hash,
      created_at: Math.floor(Date.now() / 1000),
      producer: 'stores/signed',
    });
    return { hash, body };
  };
  const sign = (key: string, id: string, timestamp: number, body: string) =>
    `v1,${createHmac('sha256', Buffer.from(key, 'utf8')).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const post = async (tenantId: string, body: string, headers: Record<string, string>) => {
    const response = await fetch(`${api.url}/webhooks/bigcommerce/${tenantId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const signedHeaders = (options: { key?: string; timestamp?: number; header?: string; signedBody?: string } = {}) => {
    const { hash, body } = envelope();
    const timestamp = options.timestamp ?? nowSeconds();
    return {
      body,
      headers: {
        'X-Webhook-Secret': options.header ?? headerSecret,
        'webhook-id': hash,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': sign(options.key ?? clientSecret, hash, timestamp, options.signedBody ?? body),
      },
    };
  };

  it('when the signature is right, under the client secret, with the secret header, then the delivery is accepted', async () => {
    const { body, headers } = signedHeaders();
    expect(await post(signingTenant, body, headers)).toEqual({ status: 200, body: { outcome: 'ignored' } });
  });

  it('when the signature is forged but the static secret header is right then the answer is 401', async () => {
    for (const forged of [
      signedHeaders({ key: 'not-the-client-secret' }),
      signedHeaders({ signedBody: '{"scope":"store/order/created"}' }),
      { ...signedHeaders(), headers: { ...signedHeaders().headers, 'webhook-signature': 'v1,AAAA' } },
    ]) {
      const answer = await post(signingTenant, forged.body, forged.headers);
      expect(answer).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    }
  });

  it('when a rightly signed delivery carries an old or a future timestamp then the answer is 401', async () => {
    for (const timestamp of [nowSeconds() - 600, nowSeconds() + 600]) {
      const { body, headers } = signedHeaders({ timestamp });
      expect((await post(signingTenant, body, headers)).status).toBe(401);
    }
  });

  it('when the signature is right but the secret header is wrong or missing then the answer is 401', async () => {
    const { body, headers } = signedHeaders({ header: 'wrong-secret-wrong-secret' });
    expect((await post(signingTenant, body, headers)).status).toBe(401);
    const { 'X-Webhook-Secret': _header, ...withoutHeader } = signedHeaders().headers;
    expect((await post(signingTenant, signedHeaders().body, withoutHeader)).status).toBe(401);
  });

  it('when the store does not sign then the secret header alone decides, as before', async () => {
    expect(await post(signingTenant, envelope().body, { 'X-Webhook-Secret': headerSecret })).toEqual({
      status: 200,
      body: { outcome: 'ignored' },
    });
    expect((await post(signingTenant, envelope().body, { 'X-Webhook-Secret': 'wrong-secret-wrong-secret' })).status).toBe(401);
  });

  it('when the tenant has no stored client secret then a signed delivery is checked by the header (nothing to verify with)', async () => {
    const { body, headers } = signedHeaders({ key: 'whatever-the-store-holds' });
    expect(await post(tenantWithoutCredentials, body, headers)).toEqual({ status: 200, body: { outcome: 'ignored' } });
  });
});
