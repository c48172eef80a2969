import { describe, expect, it } from 'vitest';
import { aCanonicalAddress, aCanonicalOrder, aCanonicalOrderLine } from '../test/support/builders.js';
import { decideOrderEdit, describeDifferences, type OrderEditDecision } from './order-edit.js';

const posted = aCanonicalOrder({
  lines: [aCanonicalOrderLine(), aCanonicalOrderLine({ lineId: '2', sku: 'TEE', name: 'Tee', quantity: 2, unitPrice: 1500 })],
  shipping: 800,
  shippingAddress: aCanonicalAddress({ line1: '12 Market St' }),
});
const mug = posted.lines[0]!;
const tee = posted.lines[1]!;

describe('decideOrderEdit', () => {
  it.each<[string, Parameters<typeof decideOrderEdit>[0], OrderEditDecision]>([
    [
      'staff notes, a status or the store echo of our own write change nothing the books hold',
      { booked: posted, current: { ...posted, status: '2', attributes: { staffNotes: 'call first' } } as typeof posted, invoiced: false },
      { action: 'none' },
    ],
    ['nothing changed after invoicing is nothing too', { booked: posted, current: posted, invoiced: true }, { action: 'none' }],
    [
      'a quantity change before invoicing updates the sales order',
      { booked: posted, current: { ...posted, lines: [mug, { ...tee, quantity: 3, lineTotal: 4500 }] }, invoiced: false },
      {
        action: 'update',
        differences: [{ what: 'SKU TEE (line 2)', storeSays: '3 × 15.00 USD', intacctHolds: '2 × 15.00 USD' }],
      },
    ],
    [
      'a price change after invoicing parks with the difference',
      { booked: posted, current: { ...posted, lines: [{ ...mug, unitPrice: 1200, lineTotal: 1200 }, tee] }, invoiced: true },
      {
        action: 'park',
        differences: [{ what: 'SKU MUG (line 1)', storeSays: '1 × 12.00 USD', intacctHolds: '1 × 10.00 USD' }],
      },
    ],
    [
      'a line added and a line removed are one difference each',
      {
        booked: posted,
        current: { ...posted, lines: [tee, aCanonicalOrderLine({ lineId: '3', sku: 'CAP', quantity: 1, unitPrice: 900 })] },
        invoiced: false,
      },
      {
        action: 'update',
        differences: [
          { what: 'SKU CAP (line 3)', storeSays: '1 × 9.00 USD', intacctHolds: 'none' },
          { what: 'SKU MUG (line 1)', storeSays: 'none', intacctHolds: '1 × 10.00 USD' },
        ],
      },
    ],
    [
      'a product replaced on the same line says both SKUs',
      { booked: posted, current: { ...posted, lines: [{ ...mug, sku: 'MUG-BLK' }, tee] }, invoiced: false },
      {
        action: 'update',
        differences: [{ what: 'line 1', storeSays: 'SKU MUG-BLK, 1 × 10.00 USD', intacctHolds: 'SKU MUG, 1 × 10.00 USD' }],
      },
    ],
    [
      'a line discount counts',
      { booked: posted, current: { ...posted, lines: [{ ...mug, lineDiscount: 100 }, tee] }, invoiced: false },
      {
        action: 'update',
        differences: [{ what: 'SKU MUG (line 1)', storeSays: '1 × 10.00 USD less 1.00 USD', intacctHolds: '1 × 10.00 USD' }],
      },
    ],
    [
      'shipping and tax are compared to the cent',
      { booked: posted, current: { ...posted, shipping: 1000, tax: 1 }, invoiced: false },
      {
        action: 'update',
        differences: [
          { what: 'shipping', storeSays: '10.00 USD', intacctHolds: '8.00 USD' },
          { what: 'tax', storeSays: '0.01 USD', intacctHolds: '0.00 USD' },
        ],
      },
    ],
    [
      'a new ship-to address is a difference the books care about',
      {
        booked: posted,
        current: { ...posted, shippingAddress: aCanonicalAddress({ line1: '99 Lake Rd', postalCode: '78702' }) },
        invoiced: false,
      },
      {
        action: 'update',
        differences: [
          {
            what: 'ship-to address',
            storeSays: 'Jane Doe, 99 Lake Rd, Austin, 78702, US',
            intacctHolds: 'Jane Doe, 12 Market St, Austin, US',
          },
        ],
      },
    ],
    [
      'a run that does not know what was posted lets the update compare with Intacct',
      { booked: undefined, current: posted, invoiced: false },
      { action: 'update', differences: [] },
    ],
    [
      'even when it knows of an invoice: the update reads what Intacct holds',
      { booked: undefined, current: posted, invoiced: true },
      { action: 'update', differences: [] },
    ],
  ])('when %s', (_name, input, expected) => {
    expect(decideOrderEdit(input)).toEqual(expected);
  });

  it('when the differences are described, then each reads as what the store says against what Intacct holds', () => {
    expect(describeDifferences([{ what: 'SKU TEE (line 2)', storeSays: '3 × 15.00 USD', intacctHolds: '2 × 15.00 USD' }])).toEqual([
      'SKU TEE (line 2): the store says 3 × 15.00 USD, Intacct holds 2 × 15.00 USD',
    ]);
  });
});
