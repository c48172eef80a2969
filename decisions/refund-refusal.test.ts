import { describe, expect, it } from 'vitest';
import { refundRefusalType, type IntacctRefusalWords } from './refund-refusal.js';

describe('refundRefusalType', () => {
  it.each<[string, IntacctRefusalWords, string]>([
    ['the closed-period error number', { vendorCode: 'BL03000071', description2: 'Cannot post' }, 'ClosedPeriod'],
    [
      'a period named closed in the description',
      { vendorCode: 'BL01001973', description2: 'The period 2026-11 is closed' },
      'ClosedPeriod',
    ],
    ['"closed period" in any case', { description: 'Closed Period: reopen it first' }, 'ClosedPeriod'],
    ['an invalid item', { vendorCode: 'BL01001973', description2: 'Invalid Item SKU-9' }, 'UnknownItem'],
    ['"invalid itemization" (not the word item)', { description2: 'invalid itemization' }, 'CreditMemoRefused'],
    ['any other refusal', { vendorCode: 'BL34000061', description2: 'Customer is on hold' }, 'CreditMemoRefused'],
    ['a refusal with no words', {}, 'CreditMemoRefused'],
  ])('when Intacct answers with %s, then the refund parks as %s', (_case, refusal, expected) => {
    expect(refundRefusalType(refusal, 'CreditMemoRefused')).toBe(expected);
  });

  it('when the period is closed and an item is invalid, then the closed period is named (it is fixed first)', () => {
    expect(refundRefusalType({ description2: 'Invalid item X; the period is closed' }, 'RefundPostingRefused')).toBe('ClosedPeriod');
  });
});
