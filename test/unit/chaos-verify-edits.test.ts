import { describe, expect, it } from 'vitest';
import {
  editUpdatesSent,
  expectedEditOutcome,
  parkedEditDifferences,
  type AttentionRecord,
  type EditedStoreLine,
} from '../chaos/verify-edits.js';

/** Two tees at 25.00 (4.13 tax) and a mug at 14.50 (1.20 tax), as the store had them when posted. */
const before: EditedStoreLine[] = [
  { id: 11, quantity: 2, unitPriceExTaxCents: 2500, taxCents: 413 },
  { id: 12, quantity: 1, unitPriceExTaxCents: 1450, taxCents: 120 },
];
const withLine = (line: number, change: Partial<EditedStoreLine>) =>
  before.map((entry, index) => (index === line ? { ...entry, ...change } : entry));

describe('expectedEditOutcome', () => {
  it('when the tenant taxes per line and an edit changes a taxed line’s units, then the order parks', () => {
    expect(expectedEditOutcome(before, withLine(0, { quantity: 3, taxCents: 619 }), true)).toBe('parked');
  });

  it('when the tenant taxes per line and an edit changes a taxed line’s price, then the order parks', () => {
    expect(expectedEditOutcome(before, withLine(1, { unitPriceExTaxCents: 3000, taxCents: 248 }), true)).toBe('parked');
  });

  it('when the tenant taxes per line and an edit takes a taxed line away, then the order parks', () => {
    expect(expectedEditOutcome(before, before.slice(0, 1), true)).toBe('parked');
  });

  it('when an edit only adds a line, then it is followed: a new line is written with its own tax', () => {
    expect(expectedEditOutcome(before, [...before, { id: 13, quantity: 1, unitPriceExTaxCents: 725, taxCents: 60 }], true)).toBe(
      'followed',
    );
  });

  it('when an edit leaves every line as it was (a quantity already at its least, the same price), then there is nothing to park', () => {
    expect(expectedEditOutcome(before, withLine(1, { quantity: 1, unitPriceExTaxCents: 1450 }), true)).toBe('followed');
  });

  it('when the changed line carries no tax, then it is followed', () => {
    const untaxed = before.map((line) => ({ ...line, taxCents: 0 }));
    expect(expectedEditOutcome(untaxed, [{ ...untaxed[0]!, quantity: 3 }, untaxed[1]!], true)).toBe('followed');
  });

  it('when the tenant does not tax per line, then every edit is followed', () => {
    expect(expectedEditOutcome(before, withLine(0, { quantity: 3, taxCents: 619 }), false)).toBe('followed');
    expect(expectedEditOutcome(before, before.slice(0, 1), false)).toBe('followed');
  });
});

describe('parkedEditDifferences', () => {
  const after = withLine(0, { quantity: 3, taxCents: 619 });
  const parked: AttentionRecord = {
    state: 'open',
    code: 'edit_changes_line_tax',
    reason: 'order 104 was edited in BigCommerce so that lines taxed per line change, …',
    details: {
      differences: [
        { what: 'item TSHIRT-BLK-M (line 1)', storeSays: '3 × 25.00 USD', intacctHolds: '2 × 25.00 USD' },
        {
          what: 'tax of item TSHIRT-BLK-M (line 1)',
          storeSays: '6.19 US Sales Tax 8.25',
          intacctHolds: 'the tax first posted (an update cannot change a line’s tax)',
        },
      ],
    },
  };

  it('when the open item names each edited line’s new tax, to the cent, then there is no difference', () => {
    expect(parkedEditDifferences(parked, before, after)).toEqual([]);
  });

  it('when there is no item, or it is resolved or of another code, then that is named', () => {
    expect(parkedEditDifferences(undefined, before, after)).toEqual([
      'no attention item; the edit must park the order as edit_changes_line_tax',
    ]);
    expect(parkedEditDifferences({ ...parked, state: 'resolved' }, before, after)).toEqual([
      'its attention item is resolved edit_changes_line_tax, not an open edit_changes_line_tax with a reason',
    ]);
    expect(parkedEditDifferences({ ...parked, code: 'edited_after_invoicing' }, before, after)).toEqual([
      'its attention item is open edited_after_invoicing, not an open edit_changes_line_tax with a reason',
    ]);
  });

  it('when the item gives another new tax than the store’s, or none, then the amounts are named', () => {
    const [line, tax] = parked.details!.differences!;
    expect(
      parkedEditDifferences(
        { ...parked, details: { differences: [line!, { ...tax!, storeSays: '4.13 US Sales Tax 8.25' }] } },
        before,
        after,
      ),
    ).toEqual(["its attention item names 1 lines' new tax for 4.13; the edit changed 1 taxed lines, their new tax 6.19"]);
    expect(parkedEditDifferences({ ...parked, details: { differences: [line!] } }, before, after)).toEqual([
      "its attention item names 0 lines' new tax for 0.00; the edit changed 1 taxed lines, their new tax 6.19",
    ]);
  });
});

describe('editUpdatesSent', () => {
  const request = (name: string, controlId: string) => ({ functions: [{ name, controlId }] });

  it('when the log holds updates of this order’s edits, then they are counted, and nothing of other orders or functions', () => {
    expect(
      editUpdatesSent(
        [
          request('update_sotransaction', 'so-edit:chaos-bc:104:3f2a'),
          request('update_sotransaction', 'so-edit:chaos-bc:104:3f2a'),
          request('update_sotransaction', 'so-edit:chaos-bc:1040:77aa'),
          request('update_sotransaction', 'so-edit:chaos-cl:104:77aa'),
          request('create_sotransaction', 'so:chaos-bc:104'),
        ],
        'chaos-bc',
        '104',
      ),
    ).toBe(2);
  });

  it('when nothing was sent for the edit, then it is 0', () => {
    expect(editUpdatesSent([request('readByQuery', 'read:1')], 'chaos-bc', '104')).toBe(0);
  });
});
