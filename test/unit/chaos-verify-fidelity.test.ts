import { describe, expect, it } from 'vitest';
import {
  entityDifferences,
  fidelityDifferences,
  invoiceTaxDifferences,
  lineShipToDifferences,
  type FidelityDocumentLine,
  type FidelitySetup,
} from '../chaos/verify-fidelity.js';
import { entityByRules } from '../chaos/order-fidelity.js';

const setup: FidelitySetup = {
  taxDetailId: 'US Sales Tax 8.25',
  vatDetailId: 'VAT Standard 20',
  giftWrappingItem: 'GIFT-WRAP',
  entityFor: entityByRules,
};

/** Two units of a tee at 25.00 (4.12 tax) and a gift card at 30.00 (2.48 tax), 4.95 of gift wrapping. */
const store = {
  lines: [
    { quantity: 2, taxCents: 412, productType: 'physical' },
    { quantity: 1, taxCents: 248, productType: 'digital' },
  ],
  taxCents: 660,
  wrappingCents: 495,
};
const product = (quantity: number, totalCents: number, taxCents: number): FidelityDocumentLine => ({
  itemId: 'TSHIRT-BLK-M',
  quantity,
  totalCents,
  taxDetails: taxCents === 0 ? [] : ['US Sales Tax 8.25'],
  taxCents,
});
const charge = (itemId: string, totalCents: number): FidelityDocumentLine => ({
  itemId,
  quantity: 1,
  totalCents,
  taxDetails: [],
  taxCents: 0,
});
const posted = [product(2, 5000, 412), product(1, 3000, 248), charge('SHIPPING', 800), charge('GIFT-WRAP', 495)];

describe('fidelityDifferences', () => {
  it("when each line carries the store's tax under the mapped detail and gift wrapping is one line, then there is no difference", () => {
    expect(fidelityDifferences(store, posted, setup)).toEqual([]);
  });

  it("when a line is written as two, then the run's tax entries together carry the line's tax", () => {
    expect(fidelityDifferences(store, [product(1, 2500, 412), product(1, 2500, 0), ...posted.slice(1)], setup)).toEqual([]);
  });

  it('when the tax went on a separate tax line instead of line tax detail, then each line and the whole tax are named', () => {
    expect(
      fidelityDifferences(store, [product(2, 5000, 0), product(1, 3000, 0), ...posted.slice(2), charge('SALES-TAX', 660)], setup),
    ).toEqual([
      "line 1: the store's tax is 4.12, the sales order's tax detail 0.00",
      "line 2: the store's tax is 2.48, the sales order's tax detail 0.00",
      "the store's tax is 6.60, the sales order's tax entries total 0.00",
    ]);
  });

  it('when a line kept the tax it had before an edit, then that line and the total are named', () => {
    expect(
      fidelityDifferences({ ...store, lines: [{ ...store.lines[0]!, taxCents: 618 }, store.lines[1]!], taxCents: 866 }, posted, setup),
    ).toEqual([
      "line 1: the store's tax is 6.18, the sales order's tax detail 4.12",
      "the store's tax is 8.66, the sales order's tax entries total 6.60",
    ]);
  });

  it('when a tax entry is under another detail, then the detail is named', () => {
    expect(fidelityDifferences(store, [{ ...posted[0]!, taxDetails: ['TX State Sales Tax'] }, ...posted.slice(1)], setup)).toEqual([
      "tax entries under TX State Sales Tax, not the store rate's US Sales Tax 8.25",
    ]);
  });

  it("when prices include VAT, then each line's VAT must be under the VAT's detail, and the sales tax's detail is named", () => {
    // Two tees at 30.00 each including 5.00 VAT, and a gift card at 36.00 including 6.00: the lines are the nets.
    const inclusive = {
      lines: [
        { quantity: 2, taxCents: 1000, productType: 'physical' },
        { quantity: 1, taxCents: 600, productType: 'digital' },
      ],
      taxCents: 1600,
      wrappingCents: 0,
      pricesIncludeVat: true,
    };
    const vatLine = (quantity: number, totalCents: number, taxCents: number) => ({
      ...product(quantity, totalCents, taxCents),
      taxDetails: ['VAT Standard 20'],
    });
    expect(fidelityDifferences(inclusive, [vatLine(2, 5000, 1000), vatLine(1, 3000, 600), charge('SHIPPING', 800)], setup)).toEqual([]);
    expect(fidelityDifferences(inclusive, [product(2, 5000, 1000), product(1, 3000, 600), charge('SHIPPING', 800)], setup)).toEqual([
      "tax entries under US Sales Tax 8.25, not the store rate's VAT Standard 20",
    ]);
  });

  it('when the gift wrapping is missing, spread, or there without the store having any, then it is named', () => {
    expect(fidelityDifferences(store, posted.slice(0, 3), setup)).toEqual([
      "the store's gift wrapping is 4.95, the sales order has 0 GIFT-WRAP lines for 0.00",
    ]);
    expect(fidelityDifferences(store, [...posted.slice(0, 3), charge('GIFT-WRAP', 200), charge('GIFT-WRAP', 295)], setup)).toEqual([
      "the store's gift wrapping is 4.95, the sales order has 2 GIFT-WRAP lines for 4.95",
    ]);
    expect(fidelityDifferences({ ...store, wrappingCents: 0 }, posted, setup)).toEqual([
      "the store's gift wrapping is 0.00, the sales order has 1 GIFT-WRAP lines for 4.95",
    ]);
  });
});

describe('lineShipToDifferences', () => {
  const austin = { consignment: 1, city: 'Austin', zip: '78701' };
  const portland = { consignment: 2, city: 'Portland', zip: '97205' };
  const shippedTo = (line: FidelityDocumentLine, name: string, to: { consignment: number; city: string; zip: string }) => ({
    ...line,
    shipTo: { contactName: `${name} - BC 120 ship-to ${to.consignment}`, city: to.city, zip: to.zip },
  });
  /** The tees to the buyer in Austin (written as two lines), the gift card to a friend in Portland. */
  const twoAddresses = { lines: store.lines, shipTos: [austin, portland] };
  const split = [
    shippedTo(product(1, 2500, 206), 'Jane Doe', austin),
    shippedTo(product(1, 2500, 206), 'Jane Doe', austin),
    shippedTo(product(1, 3000, 248), 'Ada Byron', portland),
    charge('SHIPPING', 800),
  ];

  it("when each line of each store line's run ships to its consignment and the charges to none, then there is no difference", () => {
    expect(lineShipToDifferences(twoAddresses, split)).toEqual([]);
  });

  it('when a line ships to the other consignment, or has no ship-to of its own, then the line is named', () => {
    expect(
      lineShipToDifferences(twoAddresses, [split[0]!, shippedTo(product(1, 2500, 206), 'Ada Byron', portland), product(1, 3000, 248)]),
    ).toEqual([
      'line 1: the store ships it to consignment 1 (Austin 78701), sales order line 2 to Ada Byron - BC 120 ship-to 2 (Portland 97205)',
      'line 2: the store ships it to consignment 2 (Portland 97205), sales order line 3 has no ship-to of its own',
    ]);
  });

  it('when the contact is not numbered after its consignment, then the line is named', () => {
    expect(
      lineShipToDifferences(twoAddresses, [
        ...split.slice(0, 2),
        shippedTo(product(1, 3000, 248), 'Ada Byron', { ...portland, consignment: 1 }),
        split[3]!,
      ]),
    ).toEqual([
      'line 2: the store ships it to consignment 2 (Portland 97205), sales order line 3 to Ada Byron - BC 120 ship-to 1 (Portland 97205)',
    ]);
  });

  it('when the order ships to one address, then no line has a ship-to of its own, and a charge never has', () => {
    expect(lineShipToDifferences({ lines: store.lines, shipTos: undefined }, posted)).toEqual([]);
    expect(
      lineShipToDifferences({ lines: store.lines, shipTos: undefined }, [shippedTo(posted[0]!, 'Jane Doe', austin), ...posted.slice(1)]),
    ).toEqual(['line 1: the store ships it to the order’s one address, yet sales order line 1 ships to Austin 78701 of its own']);
    expect(lineShipToDifferences(twoAddresses, [...split.slice(0, 3), shippedTo(charge('SHIPPING', 800), 'Jane Doe', austin)])).toEqual([
      'sales order line 4 (SHIPPING) is a charge, yet ships to Austin 78701',
    ]);
  });
});

describe('invoiceTaxDifferences', () => {
  it("when every unit shipped and the invoices' tax entries make up the store's tax, then there is no difference", () => {
    expect(
      invoiceTaxDifferences({ taxCents: 660, allShipped: true }, [
        { documentId: 'INV-1', taxCents: 454 },
        { documentId: 'INV-2', taxCents: 206 },
      ]),
    ).toEqual([]);
  });

  it('when the invoices carry the tax in a header subtotal instead of tax entries, then the invoices are named', () => {
    expect(
      invoiceTaxDifferences({ taxCents: 660, allShipped: true }, [
        { documentId: 'INV-1', taxCents: 0 },
        { documentId: 'INV-2', taxCents: 0 },
      ]),
    ).toEqual(["the store's tax is 6.60, the tax entries of its invoices (INV-1, INV-2) total 0.00"]);
  });

  it('when units are still to ship, or nothing was invoiced, then there is nothing to say yet', () => {
    expect(invoiceTaxDifferences({ taxCents: 660, allShipped: false }, [{ documentId: 'INV-1', taxCents: 0 }])).toEqual([]);
    expect(invoiceTaxDifferences({ taxCents: 660, allShipped: true }, [])).toEqual([]);
  });
});

describe('entityDifferences', () => {
  it('when an order sells a digital product, then its sales order, invoices and payments must all be in the digital goods entity', () => {
    expect(
      entityDifferences(
        store,
        [
          { what: 'sales order SO-1', entity: '200' },
          { what: 'invoice INV-1', entity: '200' },
          { what: 'payment 7', entity: undefined },
        ],
        setup,
      ),
    ).toEqual(['payment 7 is in the top level, the rules name entity 200']);
  });

  it('when an order sells only physical products, then its records stay at the top level (an empty entity is the top level)', () => {
    const physical = { lines: [store.lines[0]!] };
    expect(
      entityDifferences(
        physical,
        [
          { what: 'sales order SO-2', entity: undefined },
          { what: 'payment 8', entity: '' },
        ],
        setup,
      ),
    ).toEqual([]);
    expect(entityDifferences(physical, [{ what: 'sales order SO-2', entity: '200' }], setup)).toEqual([
      'sales order SO-2 is in entity 200, the rules name the top level',
    ]);
  });
});
