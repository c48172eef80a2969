import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportedPayout } from '../../../api/admin/payout-imported.js';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/settlement/${name}`, import.meta.url), 'utf8');
const csv = (text: string) => ({ rawBody: text, contentType: 'text/csv' });

describe('admin API: settlement report import and processor payouts', () => {
  let api: AdminApiUnderTest;
  const started: ImportedPayout[] = [];
  const tokens: Record<string, string> = {};
  const base = '/api/v1/tenants/payouts-a';
  const stripeImport = `${base}/payouts/import?template=stripe-payout-reconciliation&gateway=stripe`;

  beforeAll(async () => {
    api = await startAdminApi({
      onPayoutImported: (payout) => {
        started.push(payout);
        return Promise.resolve();
      },
    });
    for (const id of ['payouts-a', 'payouts-b'])
      expect((await api.call('POST', '/api/v1/tenants', { body: { id, name: id, connection: bigCommerceConnection } })).status).toBe(201);
    for (const [name, role] of [
      ['viewer', 'viewer'],
      ['operator', 'operator'],
    ] as const) {
      const issued = await api.call('POST', '/api/v1/api-keys', { body: { name, role, tenantId: 'payouts-a' } });
      expect(issued.status).toBe(201);
      tokens[name] = issued.body.token as string;
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('when a good Stripe report is imported then its payouts are stored, listed, read back and handed on to be posted', async () => {
    const imported = await api.call('POST', stripeImport, { key: tokens.operator!, ...csv(fixture('stripe-good.csv')) });
    expect(imported.status).toBe(201);
    expect(imported.body.payouts).toEqual([
      { processor: 'stripe', payoutId: 'po_1A', outcome: 'created', currency: 'USD', amount: 3092, lineCount: 4, linesDifference: 0 },
      { processor: 'stripe', payoutId: 'po_1B', outcome: 'created', currency: 'JPY', amount: 970, lineCount: 1, linesDifference: 0 },
    ]);
    expect(started).toEqual([
      { tenantId: 'payouts-a', processor: 'stripe', payoutId: 'po_1A' },
      { tenantId: 'payouts-a', processor: 'stripe', payoutId: 'po_1B' },
    ]);

    const one = await api.call('GET', `${base}/payouts/stripe/po_1A`, { key: tokens.viewer! });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ processor: 'stripe', payoutId: 'po_1A', gateway: 'stripe', source: 'stripe-payout-reconciliation' });
    expect(one.body.payout.lines.map((line: { lineId: string; net: number }) => [line.lineId, line.net])).toEqual([
      ['txn_ch1', 9680],
      ['txn_ch2', 1911],
      ['txn_re1', -1999],
      ['txn_dp1', -6500],
    ]);
    expect((await api.call('GET', `${base}/payouts/stripe/po_none`)).status).toBe(404);
    expect((await api.call('GET', '/api/v1/tenants/payouts-b/payouts/stripe/po_1A')).status).toBe(404);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.call('GET', `${base}/payouts?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.payouts.map((payout: { payoutId: string }) => payout.payoutId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['po_1A', 'po_1B']);
    expect((await api.call('GET', '/api/v1/tenants/payouts-b/payouts')).body.payouts).toEqual([]);
  });

  it('when the same report is imported again then nothing changes (200) and the posting is offered again', async () => {
    started.length = 0;
    const again = await api.call('POST', stripeImport, csv(fixture('stripe-good.csv')));
    expect(again.status).toBe(200);
    expect(again.body.payouts.map((payout: { outcome: string }) => payout.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(started).toHaveLength(2);
  });

  it('when a stored payout comes again with other content then it is refused (409) with what differs, and kept as it was', async () => {
    started.length = 0;
    const changed = fixture('stripe-good.csv').replace('charge,19.99,0.88,19.11', 'charge,19.99,0.89,19.10');
    const refused = await api.call('POST', stripeImport, csv(changed));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('payout_already_imported');
    expect(refused.body.error.details).toEqual([
      { processor: 'stripe', payoutId: 'po_1A', reason: 'amount was 3092, is now 3091; lines changed: txn_ch2' },
    ]);
    expect(started).toEqual([]);
    expect((await api.call('GET', `${base}/payouts/stripe/po_1A`)).body.amount).toBe(3092);
  });

  it('when a report has bad rows then 422 names every one and nothing is stored', async () => {
    const rejected = await api.call(
      'POST',
      `${base}/payouts/import?template=stripe-payout-reconciliation&gateway=stripe`,
      csv(fixture('stripe-bad.csv')),
    );
    expect(rejected.status).toBe(422);
    expect(rejected.body.error.code).toBe('settlement_rejected');
    expect(rejected.body.error.details.map((error: { row: number }) => error.row)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 10]);
    expect(rejected.body.error.details[0]).toMatchObject({ row: 3, column: 'reporting_category', value: 'transfer' });
    expect((await api.call('GET', `${base}/payouts/stripe/po_2A`)).status).toBe(404);
  });

  it('when a PayPal report’s lines do not sum to its withdrawal then it imports with the difference shown', async () => {
    const text = fixture('paypal-good.csv').replace('"DR",7626,"USD"', '"DR",7726,"USD"');
    const imported = await api.call('POST', `${base}/payouts/import?template=paypal-settlement&gateway=paypalexpress`, csv(text));
    expect(imported.status).toBe(201);
    expect(imported.body.payouts).toEqual([
      {
        processor: 'paypal',
        payoutId: '3WD33333DD333333E',
        outcome: 'created',
        currency: 'USD',
        amount: 7726,
        lineCount: 5,
        linesDifference: 100,
      },
    ]);
    const otherBalance = await api.call(
      'POST',
      `${base}/payouts/import?template=paypal-settlement&gateway=paypalexpress&currency=EUR`,
      csv(text),
    );
    expect(otherBalance.status).toBe(422);
    expect(otherBalance.body.error.details).toEqual([{ row: 1, reason: 'the file holds no payout lines in EUR' }]);
  });

  it('when a tenant defines a column mapping then it is validated, stored, and imports its files as settlement-file payouts', async () => {
    const mapping = {
      columns: {
        lineId: 'Buchungs-ID',
        kind: 'Typ',
        gross: 'Brutto',
        fee: 'Gebühr',
        net: 'Netto',
        paymentReference: 'Zahlungsreferenz',
        orderReference: 'Bestellnummer',
        occurredAt: 'Datum',
      },
      kinds: { Verkauf: 'charge', Erstattung: 'refund', Gebühr: 'fee' },
      currency: 'EUR',
      delimiter: ';',
      decimalSeparator: ',',
      thousandsSeparator: '.',
      dateFormat: 'DD.MM.YYYY',
      feeSign: 'negative',
    };
    const invalid = await api.call('PUT', `${base}/settlement-mappings/bank-export`, {
      body: { ...mapping, kinds: { Verkauf: 'sale' }, currency: undefined },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details).toEqual([{ path: 'kinds.Verkauf', message: expect.any(String) }]);
    expect((await api.call('PUT', `${base}/settlement-mappings/paypal-settlement`, { body: mapping })).status).toBe(400);
    expect((await api.call('PUT', `${base}/settlement-mappings/bank-export`, { key: tokens.viewer!, body: mapping })).status).toBe(403);

    const created = await api.call('PUT', `${base}/settlement-mappings/bank-export`, { key: tokens.operator!, body: mapping });
    expect(created.status).toBe(201);
    expect(created.body.mapping).toMatchObject({ currency: 'EUR', decimalSeparator: ',', feeSign: 'negative' });
    expect((await api.call('PUT', `${base}/settlement-mappings/bank-export`, { body: mapping })).status).toBe(200);
    expect((await api.call('GET', `${base}/settlement-mappings/bank-export`)).body.mapping.columns.gross).toBe('Brutto');
    expect((await api.call('GET', `${base}/settlement-mappings`)).body.mappings.map((stored: { name: string }) => stored.name)).toEqual([
      'bank-export',
    ]);
    expect((await api.call('GET', '/api/v1/tenants/payouts-b/settlement-mappings/bank-export')).status).toBe(404);

    const imported = await api.call(
      'POST',
      `${base}/payouts/import?mapping=bank-export&gateway=klarna&payoutId=AUSZ-2026-11-04`,
      csv(fixture('mapping-good.csv')),
    );
    expect(imported.status).toBe(201);
    expect(imported.body.payouts[0]).toMatchObject({
      processor: 'settlement-file',
      payoutId: 'AUSZ-2026-11-04',
      currency: 'EUR',
      amount: 121615,
    });
    const unknown = await api.call(
      'POST',
      `${base}/payouts/import?mapping=nope&gateway=klarna&payoutId=X`,
      csv(fixture('mapping-good.csv')),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_settlement_mapping');
  });

  it('when the request is wrong then it is refused before anything is read', async () => {
    const good = fixture('stripe-good.csv');
    expect((await api.call('POST', stripeImport, { key: tokens.viewer!, ...csv(good) })).status).toBe(403);
    expect((await api.call('POST', stripeImport, { rawBody: good, contentType: 'text/plain' })).status).toBe(415);
    expect((await api.call('POST', stripeImport, { body: { csv: good } })).status).toBe(400);
    expect((await api.call('POST', `${base}/payouts/import?gateway=stripe`, csv(good))).status).toBe(400);
    expect((await api.call('POST', `${base}/payouts/import?template=paypal-settlement&mapping=x&gateway=stripe`, csv(good))).status).toBe(
      400,
    );
    expect((await api.call('POST', `${base}/payouts/import?template=stripe-payout-reconciliation`, csv(good))).status).toBe(400);
    expect((await api.call('POST', stripeImport, csv(''))).status).toBe(400);
    expect((await api.call('POST', `${stripeImport}&payoutDate=2026-02-30`, csv(good))).status).toBe(400);
    expect(
      (
        await api.call('POST', '/api/v1/tenants/payouts-b/payouts/import?template=stripe-payout-reconciliation&gateway=stripe', {
          key: tokens.operator!,
          ...csv(good),
        })
      ).status,
    ).toBe(404);
  });

  it('when the OpenAPI document is read then the import takes text/csv and names its query parameters', async () => {
    const { paths } = (await api.call('GET', '/api/v1/openapi.json', { key: null })).body;
    const importCall = paths['/api/v1/tenants/{tenantId}/payouts/import'].post;
    expect(importCall.description).toBe('Needs the operator role.');
    expect(Object.keys(importCall.requestBody.content)).toEqual(['text/csv']);
    expect(importCall.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['template', 'mapping', 'gateway', 'payoutId', 'payoutAmount', 'payoutDate']),
    );
    expect(paths['/api/v1/tenants/{tenantId}/payouts/{processor}/{payoutId}'].get).toBeDefined();
    expect(paths['/api/v1/tenants/{tenantId}/settlement-mappings/{name}'].put.description).toBe('Needs the operator role.');
  });

  it('when a report is larger than mapping tables may be then it still imports, up to 10 MB', async () => {
    const header =
      'automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created_utc,reporting_category,gross,fee,net,currency,customer_email';
    const padding = 'x'.repeat(1000);
    const rows = Array.from(
      { length: 3000 },
      (_, index) => `po_big,2026-11-04,txn_big_${index},2026-11-01 00:00:00,charge,1.00,0.10,0.90,usd,${padding}`,
    );
    const large = [header, ...rows].join('\n');
    expect(large.length).toBeGreaterThan(2 * 1024 * 1024);
    const imported = await api.call('POST', stripeImport, csv(large));
    expect(imported.status).toBe(201);
    expect(imported.body.payouts[0]).toMatchObject({ payoutId: 'po_big', amount: 270000, lineCount: 3000 });

    const tooLarge = [header, ...Array.from({ length: 4 }, () => rows.join('\n'))].join('\n');
    expect(tooLarge.length).toBeGreaterThan(10 * 1024 * 1024);
    expect((await api.call('POST', stripeImport, csv(tooLarge))).status).toBe(413);
  });
});
