import { describe, expect, it } from 'vitest';
import { composeAlertMessage, type AlertFacts } from './alert-message.js';

const base = 'https://sync.example.com';
const parked: AlertFacts = {
  id: 'a1',
  tenantId: 'acme',
  rule: 'parked',
  subject: { entity: 'order', externalId: '1042' },
  code: 'intacct_input_error',
  reason: 'creating the sales document failed: BL34000061 The customer is on hold',
  fix: 'Take the customer off hold in Intacct, then retry the order.',
  details: { failureClass: 'input', vendorCode: 'BL34000061', requestId: 'req-9' },
  raisedAt: new Date('2026-12-06T10:00:00Z'),
};

describe('composeAlertMessage', () => {
  it('when one order parked, then the email says what, which order, why with the vendor code, the fix and both links', () => {
    const message = composeAlertMessage('a1', [parked], base);
    expect(message.subject).toBe('[acme] Order 1042 of tenant acme is parked and waits for a person: intacct_input_error');
    expect(message.text).toBe(
      [
        'Order 1042 of tenant acme is parked and waits for a person (intacct_input_error).',
        '',
        'Why: creating the sales document failed: BL34000061 The customer is on hold',
        'Vendor: code BL34000061, request req-9',
        'Fix: Take the customer off hold in Intacct, then retry the order.',
        '',
        'Attention queue: https://sync.example.com/console/tenants/acme/attention',
        'API: https://sync.example.com/api/v1/tenants/acme/attention?entity=order',
        'Since: 2026-12-06T10:00:00.000Z',
      ].join('\n'),
    );
    expect(message.webhookBody).toEqual({
      text: expect.stringContaining('*Order 1042 of tenant acme is parked and waits for a person* (`intacct_input_error`)'),
      digest: false,
      alerts: [
        {
          id: 'a1',
          rule: 'parked',
          tenantId: 'acme',
          what: 'Order 1042 of tenant acme is parked and waits for a person',
          subject: { entity: 'order', externalId: '1042' },
          code: 'intacct_input_error',
          reason: parked.reason,
          vendor: { code: 'BL34000061', requestId: 'req-9' },
          fix: parked.fix,
          raisedAt: '2026-12-06T10:00:00.000Z',
          links: {
            console: 'https://sync.example.com/console/tenants/acme/attention',
            api: 'https://sync.example.com/api/v1/tenants/acme/attention?entity=order',
          },
        },
      ],
    });
  });

  it('when the webhook check raised a tenant item, then the tenant is named and no vendor line is made up', () => {
    const message = composeAlertMessage(
      'a2',
      [
        {
          ...parked,
          rule: 'webhooks',
          subject: { entity: 'tenant', externalId: 'storefront-webhooks' },
          code: 'storefront_webhooks_disabled',
          details: {},
        },
      ],
      base,
    );
    expect(message.subject).toBe('[acme] Tenant acme no longer receives all of its storefront webhooks: storefront_webhooks_disabled');
    expect(message.text).not.toContain('Vendor:');
    expect(message.text).toContain('API: https://sync.example.com/api/v1/tenants/acme/attention?entity=tenant');
  });

  it('when a rule has no attention item (a budget threshold), then the API link is the alerts list of that rule', () => {
    const message = composeAlertMessage(
      'a3',
      [{ ...parked, rule: 'intacct_budget', subject: { entity: 'tenant', externalId: 'intacct-budget' } }],
      base,
    );
    expect(message.webhookBody.alerts).toEqual([
      expect.objectContaining({
        links: { console: `${base}/console/tenants/acme/attention`, api: `${base}/api/v1/tenants/acme/alerts?rule=intacct_budget` },
      }),
    ]);
  });

  it('when a payout parks on a variance, then the payout and its processor are named and the API link is the attention list', () => {
    const message = composeAlertMessage(
      'a4',
      [
        {
          ...parked,
          rule: 'payout_variance',
          subject: { entity: 'tenant', externalId: 'payout:stripe:po_123:txn_9' },
          code: 'payout_unmatched_line',
        },
      ],
      base,
    );
    expect(message.subject).toBe(
      '[acme] Payout po_123:txn_9 (stripe) of tenant acme has a payout that does not reconcile: payout_unmatched_line',
    );
    expect(message.text).toContain('API: https://sync.example.com/api/v1/tenants/acme/attention?entity=tenant');
  });

  it('when several parks are digested, then one message lists each with its reason and says how many', () => {
    const second = {
      ...parked,
      id: 'a4',
      subject: { entity: 'refund', externalId: 'R-7' },
      code: 'unknown_sku',
      reason: 'SKU X is unknown',
    };
    const message = composeAlertMessage('digest-a1-2', [parked, second], base);
    expect(message.subject).toBe('[acme] 2 items wait for a person');
    expect(message.text).toMatch(/^2 items of tenant acme wait for a person:\n\n1\. Order 1042 of tenant acme/);
    expect(message.text).toContain('\n\n2. Refund R-7 of tenant acme is parked and waits for a person (unknown_sku).');
    expect(message.webhookBody).toMatchObject({ digest: true, alerts: [{ id: 'a1' }, { id: 'a4' }] });
    expect(message.webhookBody.text).toContain(
      '• Refund R-7 of tenant acme is parked and waits for a person (`unknown_sku`): SKU X is unknown',
    );
  });

  it('when no alert is given, then it refuses rather than send an empty message', () => {
    expect(() => composeAlertMessage('x', [], base)).toThrow('at least one alert');
  });
});
