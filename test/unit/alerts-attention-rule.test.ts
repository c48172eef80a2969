import { describe, expect, it } from 'vitest';
import { attentionRule } from '../../store/alert-outbox.js';

describe('attentionRule', () => {
  it.each([
    [{ entity: 'order', code: 'unknown_sku' }, 'parked'],
    [{ entity: 'refund', code: 'refund_unmatched' }, 'parked'],
    [{ entity: 'tenant', code: 'storefront_webhooks_disabled' }, 'webhooks'],
    [{ entity: 'tenant', code: 'payout_unmatched_line' }, 'payout_variance'],
    [{ entity: 'tenant', code: 'payout_settings_missing' }, 'payout_variance'],
    [{ entity: 'tenant', code: 'payment_not_paid_out' }, 'payout_variance'],
    [{ entity: 'order', code: 'payout_looking_code_on_an_order' }, 'parked'],
  ] as const)('%o falls under %s', (item, rule) => {
    expect(attentionRule(item)).toBe(rule);
  });
});
