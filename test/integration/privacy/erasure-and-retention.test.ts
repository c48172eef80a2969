import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxGuestMappingKeyRing } from '../../../config/index.js';
import { GuestMappingKeys } from '../../../store/guest-mapping-keys.js';
import { erasedText, expiredText } from '../../../store/personal-data.js';
import { runRetentionPass } from '../../../workers/housekeeping.js';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

const day = 86_400_000;
const jane = { email: 'jane.erase@example.com', names: ['Jane Erasmus'], phones: ['512-555-0142'], addressLines: ['9 Forget Me Lane'] };

/** Records of a tenant that quote a shopper, as parking, alerts, dead letters and mapping edits leave them. */
async function seedShopperRecords(api: AdminApiUnderTest, tenantId: string, at: Date): Promise<void> {
  const db = api.database.db;
  await db.collection('attention_queue').insertOne({
    tenantId,
    entity: 'order',
    externalId: '100',
    state: 'resolved',
    code: 'intacct_input_error',
    reason: `Intacct refused customer Jane Erasmus <${jane.email}> at 9 Forget Me Lane`,
    fix: 'correct the customer, then retry',
    details: { vendorMessage: `phone 512-555-0142 is invalid for ${jane.names[0]}`, errorno: 'BL01001973' },
    since: at,
    updatedAt: at,
    resolvedAt: at,
  });
  await db.collection('sync_ledger').insertOne({
    _id: `${tenantId}:order:100` as never,
    tenantId,
    entity: 'order',
    externalId: '100',
    state: 'synced',
    intacctKey: '4711',
    intacctDocumentId: 'SO-0100',
    attempts: 2,
    lastError: { code: 'intacct_input_error', message: `customer ${jane.email} unknown`, at },
  });
  await db.collection('alert_outbox').insertOne({
    key: `${tenantId}:parked:order:100`,
    tenantId,
    rule: 'parked',
    subject: { entity: 'order', externalId: '100' },
    code: 'intacct_input_error',
    reason: `order 100 of jane erasmus parked`,
    fix: 'retry',
    raisedAt: at,
    state: 'sent',
    planned: false,
    deliveries: [],
    nextAttemptAt: at,
    updatedAt: at,
  });
  await db.collection('webhook_dead_letters').insertOne({
    _id: `${tenantId}:bigcommerce:d-1` as never,
    tenantId,
    storefront: 'bigcommerce',
    deliveryId: 'd-1',
    reason: `order for ${jane.email} refused`,
    state: 'replayed',
    deadLetteredAt: at,
    replays: 1,
  });
  await db.collection('mapping_rows').insertMany([
    {
      tenantId,
      table: 'customers',
      key: jane.email,
      row: { storefrontCustomer: jane.email, intacctCustomerId: 'C-7' },
      updatedAt: at,
      updatedBy: 'order-to-cash',
    },
    {
      tenantId,
      table: 'customers',
      key: '42',
      row: { storefrontCustomer: '42', intacctCustomerId: 'C-7' },
      updatedAt: at,
      updatedBy: 'order-to-cash',
    },
  ]);
  await db.collection('mapping_suggestion_rejections').insertOne({
    tenantId,
    table: 'customers',
    key: jane.email,
    candidate: '[["intacctCustomerId","C-9"]]',
    rejectedAt: at,
    rejectedBy: 'k',
  });
  await db
    .collection('audit_log')
    .insertOne({ at, actor: 'bootstrap', tenantId, action: 'mapping.upsert', target: `customers:${jane.email}`, requestId: undefined });
}

describe("a shopper's personal data: erasure on request and removal past the tenant's retention", () => {
  let api: AdminApiUnderTest;

  beforeAll(async () => {
    api = await startAdminApi();
    for (const id of ['erase-a', 'erase-b', 'keep-a', 'keep-b'])
      expect((await api.call('POST', '/api/v1/tenants', { body: { id, name: id, connection: bigCommerceConnection } })).status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });

  const textOf = async (tenantId: string) => {
    const db = api.database.db;
    const parts = await Promise.all(
      [
        'attention_queue',
        'sync_ledger',
        'alert_outbox',
        'webhook_dead_letters',
        'mapping_rows',
        'mapping_suggestion_rejections',
        'audit_log',
      ].map((name) => db.collection(name).find({ tenantId }).toArray()),
    );
    return JSON.stringify(parts);
  };

  it("when an erasure is requested for a customer, then their email, name, phone and street are gone from the tenant's records and the accounting facts stay", async () => {
    await seedShopperRecords(api, 'erase-a', new Date());
    await seedShopperRecords(api, 'erase-b', new Date());
    const answer = await api.call('POST', '/api/v1/tenants/erase-a/customers/42/erasure', { body: jane });
    expect(answer.status).toBe(200);
    expect(answer.body.redacted).toEqual({ attentionItems: 1, ledgerEntries: 1, alerts: 1, deadLetters: 1, auditEntries: 1 });
    expect(answer.body.deletedMappingRows).toBe(1);

    const after = await textOf('erase-a');
    for (const value of [jane.email, 'Jane Erasmus', 'jane erasmus', '512-555-0142', '9 Forget Me Lane'])
      expect(after).not.toContain(value);
    expect(after).toContain(erasedText);
    const ledger = await api.database.db.collection('sync_ledger').findOne({ tenantId: 'erase-a' });
    expect(ledger).toMatchObject({
      state: 'synced',
      intacctKey: '4711',
      intacctDocumentId: 'SO-0100',
      lastError: { code: 'intacct_input_error' },
    });
    const rows = await api.database.db.collection('mapping_rows').find({ tenantId: 'erase-a' }).toArray();
    expect(rows.map((row) => row.key)).toEqual(['42']);
    const attention = await api.database.db.collection('attention_queue').findOne({ tenantId: 'erase-a' });
    expect(attention?.details).toMatchObject({ errorno: 'BL01001973' });

    // Another tenant's records of a namesake are not touched, and the erasure's own audit entry repeats nothing it erased.
    expect(await textOf('erase-b')).toContain(jane.email);
    const audits = await api.call('GET', '/api/v1/tenants/erase-a/audit');
    expect(JSON.stringify(audits.body)).toContain('customer.erasure');
    expect(JSON.stringify(audits.body)).not.toContain(jane.email);
  });

  it("when a guest's mapping row is keyed by the hash of their email, then the erasure deletes it, and the plain row from before, and no other guest's", async () => {
    expect(
      (await api.call('POST', '/api/v1/tenants', { body: { id: 'erase-c', name: 'erase-c', connection: bigCommerceConnection } })).status,
    ).toBe(201);
    const keys = new GuestMappingKeys(sandboxGuestMappingKeyRing());
    const row = (key: string) => ({
      tenantId: 'erase-c',
      table: 'customers',
      key,
      row: { storefrontCustomer: key, intacctCustomerId: 'C-7' },
      updatedAt: new Date(),
      updatedBy: 'order-to-cash',
    });
    const other = keys.keyFor('someone.else@example.com');
    await api.database.db.collection('mapping_rows').insertMany([row(keys.keyFor(jane.email)), row(jane.email), row(other)]);
    const answer = await api.call('POST', '/api/v1/tenants/erase-c/customers/guest/erasure', { body: { email: jane.email.toUpperCase() } });
    expect(answer.status).toBe(200);
    expect(answer.body.deletedMappingRows).toBe(2);
    const rows = await api.database.db.collection('mapping_rows').find({ tenantId: 'erase-c' }).toArray();
    expect(rows.map((stored) => stored.key)).toEqual([other]);
  });

  it('when an erasure names nobody, or comes from a key below admin, then nothing is erased', async () => {
    expect((await api.call('POST', '/api/v1/tenants/erase-b/customers/42/erasure', { body: {} })).status).toBe(400);
    const viewer = await api.call('POST', '/api/v1/api-keys', { body: { name: 'ops', role: 'operator', tenantId: 'erase-b' } });
    const refused = await api.call('POST', '/api/v1/tenants/erase-b/customers/42/erasure', {
      body: jane,
      key: viewer.body.token as string,
    });
    expect(refused.status).toBe(403);
    expect(await textOf('erase-b')).toContain(jane.email);
  });

  it("when records are older than the tenant's retention, then the scheduled pass removes their personal text and keeps what is recent or still awaited", async () => {
    const settings = await api.call('GET', '/api/v1/tenants/keep-a/settings');
    expect(settings.body.settings.privacy).toEqual({ retentionDays: 90 });
    const patched = await api.call('PATCH', '/api/v1/tenants/keep-a/settings', {
      body: { version: settings.body.version, settings: { privacy: { retentionDays: 30 } } },
    });
    expect(patched.status).toBe(200);
    const now = new Date();
    await seedShopperRecords(api, 'keep-a', new Date(now.getTime() - 31 * day));
    // A parked item still open waits for a person: its text stays whatever its age.
    await api.database.db.collection('attention_queue').insertOne({
      tenantId: 'keep-a',
      entity: 'order',
      externalId: '101',
      state: 'open',
      code: 'intacct_input_error',
      reason: `still waiting: ${jane.email}`,
      fix: 'retry',
      since: new Date(now.getTime() - 60 * day),
      updatedAt: now,
    });

    const purged = await runRetentionPass(api.database.db, now);
    expect(purged['keep-a']).toEqual({ attentionItems: 1, ledgerEntries: 1, alerts: 1, deadLetters: 1 });
    const db = api.database.db;
    const resolved = await db.collection('attention_queue').findOne({ tenantId: 'keep-a', externalId: '100' });
    expect(resolved).toMatchObject({ reason: expiredText, code: 'intacct_input_error', state: 'resolved' });
    expect(resolved?.details).toBeUndefined();
    expect(await db.collection('sync_ledger').findOne({ tenantId: 'keep-a' })).toMatchObject({
      intacctKey: '4711',
      lastError: { code: 'intacct_input_error', message: expiredText },
    });
    expect((await db.collection('attention_queue').findOne({ tenantId: 'keep-a', externalId: '101' }))?.reason).toContain(jane.email);

    // A second pass finds nothing more, and a tenant on the 90-day default keeps its month-old text.
    expect((await runRetentionPass(db, now))['keep-a']).toEqual({ attentionItems: 0, ledgerEntries: 0, alerts: 0, deadLetters: 0 });
    await seedShopperRecords(api, 'keep-b', new Date(now.getTime() - 31 * day));
    expect((await runRetentionPass(db, now))['keep-b']).toEqual({ attentionItems: 0, ledgerEntries: 0, alerts: 0, deadLetters: 0 });
    expect(await textOf('keep-b')).toContain(jane.email);
  });
});
