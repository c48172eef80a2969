import { describe, expect, it } from 'vitest';
import {
  fromIntacctFulfilmentLines,
  shipmentClarityLines,
  shipmentItems,
  bigCommerceOrderLines,
  bigCommerceShipmentLines,
  clarityShipmentLines,
  isFulfilled,
  ShipmentInvoiceMismatch,
  toInvoiceSubtotals,
  toShipmentInvoiceLines,
} from './shipment-lines.js';

const tee = { itemId: 'TEE', quantity: '2', price: '10.00', sourceLineKey: '101' };
const teeRemainder = { itemId: 'TEE', quantity: '1', price: '10.01', sourceLineKey: '102' };
const mug = { itemId: 'MUG', quantity: '2', price: '5.00', sourceLineKey: '103' };
const shipping = { itemId: 'SHIPPING', quantity: '1', price: '8.00', memo: 'shipping', sourceLineKey: '104' };
/** Three tees written as two lines (the last unit carries the cent that does not divide), two mugs, shipping. */
const salesOrderLines = [tee, teeRemainder, mug, shipping];
const orderLines = [
  { lineId: 'a', quantity: 3 },
  { lineId: 'b', quantity: 2 },
];

describe('toShipmentInvoiceLines', () => {
  it.each([
    {
      name: 'the first shipment takes the first units and every charge line',
      shipment: { lines: [{ lineId: 'a', quantity: 1 }], shippedBefore: [] },
      expected: [{ ...tee, quantity: '1' }, shipping],
    },
    {
      name: 'a later shipment takes the units after the ones shipped before, across a split line',
      shipment: {
        lines: [
          { lineId: 'a', quantity: 2 },
          { lineId: 'b', quantity: 1 },
        ],
        shippedBefore: [{ lineId: 'a', quantity: 1 }],
      },
      expected: [
        { ...tee, quantity: '1' },
        { ...teeRemainder, quantity: '1' },
        { ...mug, quantity: '1' },
      ],
    },
    {
      name: 'the last shipment takes what is left',
      shipment: {
        lines: [{ lineId: 'b', quantity: 1 }],
        shippedBefore: [
          { lineId: 'a', quantity: 3 },
          { lineId: 'b', quantity: 1 },
        ],
      },
      expected: [{ ...mug, quantity: '1' }],
    },
  ])('when $name, then those lines and units are invoiced', ({ shipment, expected }) => {
    expect(toShipmentInvoiceLines(salesOrderLines, { shipmentId: '1', orderLines, ...shipment }, 'USD')).toEqual(expected);
  });

  it('when the sales order no longer matches the order lines, then it says which line', () => {
    expect(() =>
      toShipmentInvoiceLines(
        [tee, mug, shipping],
        { shipmentId: '1', orderLines, lines: [{ lineId: 'a', quantity: 1 }], shippedBefore: [] },
        'USD',
      ),
    ).toThrow(new ShipmentInvoiceMismatch("the sales order's lines for storefront line a hold 2 units, the storefront order 3"));
  });
});

describe('toShipmentInvoiceLines with tax per line', () => {
  const detail = 'US Sales Tax 8.25';
  /** Three tees taxed 2.48 together (a tax that does not divide by three), one mug with two entries, shipping taxed 0.66. */
  const taxed = [
    { ...tee, quantity: '3', price: '10.00', taxEntries: [{ detailId: detail, amount: '2.48' }] },
    {
      ...mug,
      quantity: '1',
      taxEntries: [
        { detailId: detail, amount: '0.41' },
        { detailId: 'CITY', amount: '0.05' },
      ],
    },
    { ...shipping, taxEntries: [{ detailId: detail, amount: '0.66' }] },
  ];
  const taxedLines = [
    { lineId: 'a', quantity: 3 },
    { lineId: 'b', quantity: 1 },
  ];
  const invoice = (lines: { lineId: string; quantity: number }[], shippedBefore: { lineId: string; quantity: number }[]) =>
    toShipmentInvoiceLines(taxed, { shipmentId: '1', orderLines: taxedLines, lines, shippedBefore }, 'USD');
  const taxOf = (lines: readonly { taxEntries?: readonly { amount?: string }[] }[]) =>
    lines.flatMap((line) => line.taxEntries ?? []).map((entry) => entry.amount);

  it.each([
    {
      name: 'a whole-order invoice carries every line with its whole tax',
      lines: [
        { lineId: 'a', quantity: 3 },
        { lineId: 'b', quantity: 1 },
      ],
      shippedBefore: [],
      expected: ['2.48', '0.41', '0.05', '0.66'],
    },
    {
      name: 'the first of three units takes a third of the tax, rounded',
      lines: [{ lineId: 'a', quantity: 1 }],
      shippedBefore: [],
      expected: ['0.83', '0.66'],
    },
    {
      name: 'the second unit takes the tax through unit two less that through unit one',
      lines: [{ lineId: 'a', quantity: 1 }],
      shippedBefore: [{ lineId: 'a', quantity: 1 }],
      expected: ['0.82'],
    },
    {
      name: 'the last unit takes the remainder',
      lines: [{ lineId: 'a', quantity: 1 }],
      shippedBefore: [{ lineId: 'a', quantity: 2 }],
      expected: ['0.83'],
    },
  ])('when $name, then its tax entries are prorated by units', ({ lines, shippedBefore, expected }) => {
    expect(taxOf(invoice(lines, shippedBefore))).toEqual(expected);
  });

  it('when a line is invoiced unit by unit, then its invoices’ tax sums to the line’s to the cent', () => {
    const parts = [0, 1, 2].map((before) =>
      invoice([{ lineId: 'a', quantity: 1 }], before === 0 ? [] : [{ lineId: 'a', quantity: before }]),
    );
    const teeTax = parts.map((lines) => Math.round(Number(lines[0]!.taxEntries![0]!.amount) * 100));
    expect(teeTax.reduce((sum, cents) => sum + cents, 0)).toBe(248);
    expect(parts[0]![0]!.taxEntries![0]!.detailId).toBe(detail);
  });

  it('when an entry states no amount, then it stays without one (Intacct computes it on the invoice line)', () => {
    const computed = [{ ...taxed[0]!, taxEntries: [{ detailId: detail }] }, taxed[1]!, taxed[2]!];
    expect(
      toShipmentInvoiceLines(
        computed,
        { shipmentId: '1', orderLines: taxedLines, lines: [{ lineId: 'a', quantity: 1 }], shippedBefore: [] },
        'USD',
      )[0],
    ).toEqual({ ...tee, quantity: '1', price: '10.00', taxEntries: [{ detailId: detail }] });
  });
});

describe('toShipmentInvoiceLines after refunds before invoicing reduced the sales order', () => {
  const cap = { itemId: 'CAP', quantity: '1', price: '12.00', sourceLineKey: '105' };
  const tax = { itemId: 'SALES-TAX', quantity: '1', price: '2.40', sourceLineKey: '106' };
  const zero = <T extends { quantity: string }>(line: T): T => ({ ...line, quantity: '0' });
  const ordered = [
    { lineId: 'b', quantity: 2 },
    { lineId: 'c', quantity: 1 },
  ];

  it.each([
    {
      name: 'a line and the shipping were refunded (their lines at quantity 0) and the rest ships',
      lines: [mug, zero(cap), zero(shipping), tax],
      orderLines: [ordered[0]!, { ...ordered[1]!, refunded: 1 }],
      shipment: { lines: [{ lineId: 'b', quantity: 2 }], shippedBefore: [] },
      expected: [mug, tax],
    },
    {
      name: 'one unit of a line was refunded and the first shipment takes the other',
      lines: [{ ...mug, quantity: '1' }, cap, shipping, tax],
      orderLines: [{ ...ordered[0]!, refunded: 1 }, ordered[1]!],
      shipment: { lines: [{ lineId: 'b', quantity: 1 }], shippedBefore: [] },
      expected: [{ ...mug, quantity: '1' }, shipping, tax],
    },
    {
      name: 'one unit of a line was refunded and a later shipment takes the other line',
      lines: [{ ...mug, quantity: '1' }, cap, shipping, tax],
      orderLines: [{ ...ordered[0]!, refunded: 1 }, ordered[1]!],
      shipment: { lines: [{ lineId: 'c', quantity: 1 }], shippedBefore: [{ lineId: 'b', quantity: 1 }] },
      expected: [cap],
    },
    {
      name: 'the first line was refunded in full and the second ships',
      lines: [zero(mug), cap, zero(shipping), tax],
      orderLines: [{ ...ordered[0]!, refunded: 2 }, ordered[1]!],
      shipment: { lines: [{ lineId: 'c', quantity: 1 }], shippedBefore: [] },
      expected: [cap, tax],
    },
    {
      name: 'a unit was refunded after the sales order was partly invoiced (it was not reduced)',
      lines: salesOrderLines,
      orderLines: [{ ...orderLines[0]!, refunded: 1 }, orderLines[1]!],
      shipment: { lines: [{ lineId: 'a', quantity: 1 }], shippedBefore: [{ lineId: 'a', quantity: 1 }] },
      expected: [{ ...tee, quantity: '1' }],
    },
  ])(
    'when $name, then the invoice takes those units and every charge line the order still holds',
    ({ lines, orderLines, shipment, expected }) => {
      expect(toShipmentInvoiceLines(lines, { shipmentId: '1', orderLines, ...shipment }, 'USD')).toEqual(expected);
    },
  );

  it('when a line holds fewer units than ordered less refunded, or the shipments carry more than it holds, then it says which line', () => {
    const reduced = [{ ...mug, quantity: '1' }, cap, shipping, tax];
    expect(() =>
      toShipmentInvoiceLines(
        reduced,
        { shipmentId: '1', orderLines: ordered, lines: [{ lineId: 'c', quantity: 1 }], shippedBefore: [] },
        'USD',
      ),
    ).toThrow(new ShipmentInvoiceMismatch("the sales order's lines for storefront line b hold 1 units, the storefront order 2"));
    expect(() =>
      toShipmentInvoiceLines(
        reduced,
        {
          shipmentId: '1',
          orderLines: [{ ...ordered[0]!, refunded: 1 }, ordered[1]!],
          lines: [{ lineId: 'b', quantity: 2 }],
          shippedBefore: [],
        },
        'USD',
      ),
    ).toThrow(new ShipmentInvoiceMismatch("the shipments of storefront line b carry 2 units, the sales order's lines for it hold 1"));
  });
});

describe('storefront shipments by order line', () => {
  it('when BigCommerce shipments carry bundle children, then only order lines count, and refunded units never ship', () => {
    const products = [
      { id: 1, quantity: 3, quantity_refunded: 1, is_bundled_product: false, parent_order_product_id: null },
      { id: 2, quantity: 1, quantity_refunded: 0, is_bundled_product: true, parent_order_product_id: 1 },
      { id: 3, quantity: 2, quantity_refunded: 0, is_bundled_product: false, parent_order_product_id: null },
    ];
    const lines = bigCommerceOrderLines(products);
    expect(lines).toEqual([
      { lineId: '1', quantity: 3, notShipping: 1 },
      { lineId: '3', quantity: 2, notShipping: 0 },
    ]);
    const first = bigCommerceShipmentLines(
      {
        items: [
          { order_product_id: 1, product_id: 9, quantity: 2 },
          { order_product_id: 2, product_id: 8, quantity: 1 },
        ],
      },
      lines,
    );
    expect(first).toEqual([{ lineId: '1', quantity: 2 }]);
    expect(isFulfilled(lines, [first])).toBe(false);
    expect(isFulfilled(lines, [first, [{ lineId: '3', quantity: 2 }]])).toBe(true);
  });

  it('when Clarity ships a SKU that two lines hold, then the units fill the lines in order, shipment after shipment', () => {
    const order = {
      lineItems: [
        { lineId: 'L1', sku: 'TEE', quantity: 2 },
        { lineId: 'L2', sku: 'TEE', quantity: 1 },
        { lineId: 'L3', sku: 'MUG', quantity: 1 },
      ],
    } as Parameters<typeof clarityShipmentLines>[0];
    expect(
      clarityShipmentLines(order, [
        { lineItems: [{ sku: 'TEE', quantity: 1 }] },
        {
          lineItems: [
            { sku: 'TEE', quantity: 2 },
            { sku: 'MUG', quantity: 1 },
          ],
        },
      ]),
    ).toEqual([
      [{ lineId: 'L1', quantity: 1 }],
      [
        { lineId: 'L1', quantity: 1 },
        { lineId: 'L2', quantity: 1 },
        { lineId: 'L3', quantity: 1 },
      ],
    ]);
  });
});

describe('Intacct fulfilments by order line', () => {
  it('when a fulfilment converts units of split and charge lines, then they are read back as order lines, charges left out', () => {
    expect(
      fromIntacctFulfilmentLines(salesOrderLines, orderLines, [
        { sourceLineKey: '101', quantity: '1' },
        { sourceLineKey: '102', quantity: '1' },
        { sourceLineKey: '103', quantity: '2' },
        { sourceLineKey: '104', quantity: '1' },
      ]),
    ).toEqual([
      { lineId: 'a', quantity: 2 },
      { lineId: 'b', quantity: 2 },
    ]);
  });

  it('when a refund before invoicing took a line to quantity 0, then a fulfilment of the rest reads its charge lines as no order line', () => {
    const cap = { itemId: 'CAP', quantity: '0', price: '12.00', sourceLineKey: '105' };
    const tax = { itemId: 'SALES-TAX', quantity: '1', price: '2.40', sourceLineKey: '106' };
    expect(
      fromIntacctFulfilmentLines(
        [mug, cap, { ...shipping, quantity: '0' }, tax],
        [
          { lineId: 'b', quantity: 2 },
          { lineId: 'c', quantity: 1, refunded: 1 },
        ],
        [
          { sourceLineKey: '103', quantity: '2' },
          { sourceLineKey: '106', quantity: '1' },
        ],
      ),
    ).toEqual([{ lineId: 'b', quantity: 2 }]);
  });

  it('when a shipment names its lines, then the store gets those units, no more than is left; without lines, everything left', () => {
    const open = [
      {
        orderAddressId: 7,
        items: [
          { order_product_id: 1, quantity: 1 },
          { order_product_id: 3, quantity: 2 },
        ],
      },
      { orderAddressId: 8, items: [{ order_product_id: 4, quantity: 2 }] },
    ];
    expect(shipmentItems(open, [{ lineId: '1', quantity: 2 }])).toEqual([
      { orderAddressId: 7, items: [{ order_product_id: 1, quantity: 1 }] },
    ]);
    expect(shipmentItems(open, [{ lineId: '5', quantity: 1 }])).toEqual([]);
    expect(shipmentItems(open, undefined)).toEqual(open);
    // An Intacct shipment of lines going to two addresses becomes a BigCommerce shipment per address.
    expect(
      shipmentItems(open, [
        { lineId: '3', quantity: 1 },
        { lineId: '4', quantity: 2 },
      ]),
    ).toEqual([
      { orderAddressId: 7, items: [{ order_product_id: 3, quantity: 1 }] },
      { orderAddressId: 8, items: [{ order_product_id: 4, quantity: 2 }] },
    ]);
    const order = {
      lineItems: [
        { lineId: 'L1', sku: 'TEE' },
        { lineId: 'L2', sku: 'MUG' },
      ],
    } as Parameters<typeof shipmentClarityLines>[1];
    expect(
      shipmentClarityLines(
        [
          { sku: 'TEE', quantity: 1 },
          { sku: 'MUG', quantity: 1 },
        ],
        order,
        [{ lineId: 'L2', quantity: 1 }],
      ),
    ).toEqual([{ sku: 'MUG', quantity: 1 }]);
  });
});

describe('toInvoiceSubtotals', () => {
  const lineTotals = ['20.00', '10.01', '10.00', '8.00'];
  it.each([
    { name: 'no subtotal when the lines make up the total', total: '48.01', lines: salesOrderLines, expected: [] },
    {
      name: 'a discount subtotal is what the total holds less than the lines',
      total: '41.76',
      lines: salesOrderLines,
      expected: [{ description: 'Discount', total: '-6.25' }],
    },
    {
      name: 'the subtotal takes the dimensions posting gave every line',
      total: '41.76',
      lines: salesOrderLines.map((line) => ({ ...line, locationId: 'US', departmentId: 'WEB', classId: 'RETAIL' })),
      expected: [{ description: 'Discount', total: '-6.25', locationId: 'US', departmentId: 'WEB', classId: 'RETAIL' }],
    },
    {
      name: 'a line refunded to nothing counts nothing',
      total: '21.76',
      lines: salesOrderLines,
      lineTotals: ['0', '10.01', '10.00', '8.00'],
      expected: [{ description: 'Discount', total: '-6.25' }],
    },
    { name: 'an empty total reads as nothing', total: '', lines: [], lineTotals: [], expected: [] },
    {
      name: 'tax per line is the lines’ own, not a discount',
      total: '51.97',
      lines: [
        { ...tee, taxEntries: [{ detailId: 'T', amount: '3.30' }] },
        teeRemainder,
        mug,
        { ...shipping, taxEntries: [{ detailId: 'T', amount: '0.66' }] },
      ],
      expected: [],
    },
    {
      name: 'with tax per line, a discount is what the total holds less than the lines and their tax',
      total: '45.72',
      lines: [
        { ...tee, taxEntries: [{ detailId: 'T', amount: '3.30' }] },
        teeRemainder,
        mug,
        { ...shipping, taxEntries: [{ detailId: 'T', amount: '0.66' }] },
      ],
      expected: [{ description: 'Discount', total: '-6.25' }],
    },
  ])('$name', ({ total, lines, expected, ...rest }) => {
    expect(toInvoiceSubtotals({ total, lineTotals: rest.lineTotals ?? lineTotals, lines, currency: 'USD' }, lines, 'Discount')).toEqual(
      expected,
    );
  });
});
