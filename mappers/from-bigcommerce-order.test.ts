import { describe, expect, it } from 'vitest';
import type {
  Order,
  OrderAddress,
  OrderCoupon,
  OrderProduct,
  OrderShippingAddress,
  OrderTax,
  Transaction,
} from '../connectors/bigcommerce/index.js';
import { orderProductView, orderView, shippingAddressView, couponView } from '../sandbox/bigcommerce/routes/order-views.js';
import { seedData } from '../sandbox/bigcommerce/seed.js';
import { canonicalOrderAmounts, type CanonicalOrder } from './canonical-order.js';
import { fromBigCommerceOrder, type BigCommerceOrderInput } from './from-bigcommerce-order.js';
import { checkOrderBalance } from './money.js';
import { OrderMappingError } from './order-mapping-error.js';

const billing: OrderAddress = {
  first_name: 'Jane',
  last_name: 'Doe',
  company: 'Acme Outfitters',
  street_1: '555 East Street',
  street_2: '',
  city: 'Austin',
  state: 'Texas',
  zip: '78701',
  country: 'United States',
  country_iso2: 'US',
  phone: '512-555-0100',
  email: 'Jane.Doe@example.com',
};

const link = { url: 'https://example.test/x', resource: '/x' };

function order(overrides: Partial<Order> = {}): Order {
  return {
    id: 218,
    customer_id: 11,
    date_created: 'Tue, 05 Mar 2019 21:40:11 +0000',
    date_modified: 'Tue, 05 Mar 2019 21:40:11 +0000',
    date_shipped: '',
    status_id: 11,
    status: 'Awaiting Fulfillment',
    subtotal_ex_tax: '62.0000',
    subtotal_inc_tax: '67.1200',
    subtotal_tax: '5.1200',
    base_shipping_cost: '8.0000',
    shipping_cost_ex_tax: '8.0000',
    shipping_cost_inc_tax: '8.0000',
    shipping_cost_tax: '0.0000',
    base_handling_cost: '0.0000',
    handling_cost_ex_tax: '0.0000',
    handling_cost_inc_tax: '0.0000',
    handling_cost_tax: '0.0000',
    wrapping_cost_ex_tax: '0.0000',
    total_ex_tax: '70.0000',
    total_inc_tax: '75.1200',
    total_tax: '5.1200',
    items_total: 3,
    items_shipped: 0,
    payment_method: 'Credit Card',
    payment_status: 'captured',
    refunded_amount: '0.0000',
    currency_code: 'USD',
    default_currency_code: 'USD',
    staff_notes: '',
    customer_message: '',
    discount_amount: '0.0000',
    coupon_discount: '0.0000',
    channel_id: 1,
    order_source: 'www',
    billing_address: billing,
    products: link,
    shipping_addresses: link,
    coupons: link,
    ...overrides,
  };
}

function product(
  id: number,
  sku: string,
  price: string,
  quantity: number,
  total: string,
  tax: string,
  overrides: Partial<OrderProduct> = {},
): OrderProduct {
  return {
    id,
    order_id: 218,
    product_id: 70 + id,
    order_address_id: 1,
    name: ` Product ${id} `,
    sku,
    type: 'physical',
    base_price: price,
    price_ex_tax: price,
    price_inc_tax: price,
    price_tax: '0.0000',
    base_total: total,
    total_ex_tax: total,
    total_inc_tax: total,
    total_tax: tax,
    quantity,
    quantity_shipped: 0,
    applied_discounts: [],
    ...overrides,
  };
}

const shipTo: OrderShippingAddress = {
  ...billing,
  email: '',
  state: 'tx',
  zip: ' 78701 ',
  id: 1,
  order_id: 218,
  items_total: 3,
  items_shipped: 0,
  shipping_method: 'Flat Rate',
  base_cost: '8.0000',
  cost_ex_tax: '8.0000',
  cost_inc_tax: '8.0000',
  cost_tax: '0.0000',
};

const twoLines = [
  product(65, 'TSHIRT-BLK-M', '24.0000', 2, '48.0000', '3.9600'),
  product(66, 'MUG-CER-12OZ', '14.0000', 1, '14.0000', '1.1600'),
];

const base: BigCommerceOrderInput = { order: order(), products: twoLines, shippingAddresses: [shipTo], coupons: [] };

const janeBilling = {
  firstName: 'Jane',
  lastName: 'Doe',
  company: 'Acme Outfitters',
  line1: '555 East Street',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  email: 'jane.doe@example.com',
  phone: '512-555-0100',
};
const janeShipping = {
  firstName: 'Jane',
  lastName: 'Doe',
  company: 'Acme Outfitters',
  line1: '555 East Street',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  phone: '512-555-0100',
};
const tshirt = {
  lineId: '65',
  sku: 'TSHIRT-BLK-M',
  productId: '135',
  name: 'Product 65',
  quantity: 2,
  unitPrice: 2400,
  lineTotal: 4800,
  lineDiscount: 0,
  tax: 396,
  attributes: { productType: 'physical' },
};
const mug = {
  lineId: '66',
  sku: 'MUG-CER-12OZ',
  productId: '136',
  name: 'Product 66',
  quantity: 1,
  unitPrice: 1400,
  lineTotal: 1400,
  lineDiscount: 0,
  tax: 116,
  attributes: { productType: 'physical' },
};

const expectedBase: CanonicalOrder = {
  storefront: 'bigcommerce',
  orderId: '218',
  status: '11',
  placedAt: '2019-03-05T21:40:11.000Z',
  currency: 'USD',
  customer: { kind: 'registered', customerId: '11', email: 'jane.doe@example.com' },
  billingAddress: janeBilling,
  shippingAddress: janeShipping,
  lines: [tshirt, mug],
  shipping: 800,
  handling: 0,
  discount: 0,
  tax: 512,
  total: 7512,
  couponCodes: [],
  paymentMethod: 'Credit Card',
  amountPaid: 7512,
  attributes: {
    statusName: 'Awaiting Fulfillment',
    paymentStatus: 'captured',
    channelId: '1',
    orderSource: 'www',
    shippingMethod: 'Flat Rate',
  },
};

describe('fromBigCommerceOrder', () => {
  it.each<[string, BigCommerceOrderInput, CanonicalOrder]>([
    ['a registered customer, two lines, flat shipping and tax', base, expectedBase],
    [
      'guest order (customer_id 0): email from the billing address',
      { ...base, order: order({ customer_id: 0 }) },
      { ...expectedBase, customer: { kind: 'guest', email: 'jane.doe@example.com' } },
    ],
    [
      'coupon: coupon_discount is an order-level discount, the code is kept',
      {
        ...base,
        order: order({ coupon_discount: '5.0000', total_ex_tax: '65.0000', total_inc_tax: '70.1200' }),
        coupons: [{ id: 3, coupon_id: 1, order_id: 218, code: ' WELCOME5 ', amount: 5, type: 2, discount: 5 } satisfies OrderCoupon],
        products: [
          product(65, 'TSHIRT-BLK-M', '24.0000', 2, '48.0000', '3.9600', {
            applied_discounts: [{ id: 'coupon', amount: 3.87, code: 'WELCOME5', target: 'order' }],
          }),
          product(66, 'MUG-CER-12OZ', '14.0000', 1, '14.0000', '1.1600', {
            applied_discounts: [{ id: 'coupon', amount: 1.13, code: 'WELCOME5', target: 'order' }],
          }),
        ],
      },
      { ...expectedBase, discount: 500, total: 7012, amountPaid: 7012, couponCodes: ['WELCOME5'] },
    ],
    [
      'manual discount and coupon together are both taken off',
      { ...base, order: order({ discount_amount: '2.0000', coupon_discount: '5.0000', total_inc_tax: '68.1200' }) },
      { ...expectedBase, discount: 700, total: 6812, amountPaid: 6812 },
    ],
    [
      'multiple lines with per-line (product-targeted) discounts: line discounts, the rest order-level',
      {
        ...base,
        order: order({ discount_amount: '6.5000', total_inc_tax: '68.6200' }),
        products: [
          product(65, 'TSHIRT-BLK-M', '24.0000', 2, '48.0000', '3.9600', {
            applied_discounts: [
              { id: 1, amount: 4, name: 'Tee promo', target: 'product' },
              { id: 'manual-discount', amount: 1.94, code: null, target: 'order' },
            ],
          }),
          product(66, 'MUG-CER-12OZ', '14.0000', 1, '14.0000', '1.1600', {
            applied_discounts: [
              { id: 2, amount: 0.5, name: 'Mug promo', target: 'product' },
              { id: 'manual-discount', amount: 0.56, code: null, target: 'order' },
            ],
          }),
        ],
      },
      {
        ...expectedBase,
        lines: [
          { ...tshirt, lineDiscount: 400 },
          { ...mug, lineDiscount: 50 },
        ],
        discount: 200,
        total: 6862,
        amountPaid: 6862,
      },
    ],
    [
      'foreign currency JPY with 0 decimals (the transactional default_currency_code)',
      {
        ...base,
        order: order({
          currency_code: 'JPY',
          default_currency_code: 'JPY',
          shipping_cost_ex_tax: '500.0000',
          total_tax: '330.0000',
          total_inc_tax: '3830.0000',
        }),
        products: [
          product(65, 'TSHIRT-BLK-M', '1500.0000', 2, '3000.0000', '300.0000'),
          product(66, 'MUG-CER-12OZ', '0.0000', 1, '0.0000', '30.0000', { product_id: 0 }),
        ],
      },
      {
        ...expectedBase,
        currency: 'JPY',
        lines: [
          { ...tshirt, unitPrice: 1500, lineTotal: 3000, tax: 300 },
          {
            lineId: '66',
            sku: 'MUG-CER-12OZ',
            name: 'Product 66',
            quantity: 1,
            unitPrice: 0,
            lineTotal: 0,
            lineDiscount: 0,
            tax: 30,
            attributes: { productType: 'physical' },
          },
        ],
        shipping: 500,
        tax: 330,
        total: 3830,
        amountPaid: 3830,
      },
    ],
    [
      'display currency differs from the transactional one: amounts read in default_currency_code',
      { ...base, order: order({ currency_code: 'EUR', default_currency_code: 'USD' }) },
      { ...expectedBase, attributes: { ...expectedBase.attributes, displayCurrency: 'EUR' } },
    ],
    [
      'free shipping, handling charged, payment pending',
      {
        ...base,
        order: order({
          shipping_cost_ex_tax: '0.0000',
          handling_cost_ex_tax: '2.5000',
          total_inc_tax: '69.6200',
          payment_status: 'pending',
        }),
      },
      {
        ...expectedBase,
        shipping: 0,
        handling: 250,
        total: 6962,
        amountPaid: 0,
        attributes: { ...expectedBase.attributes, paymentStatus: 'pending' },
      },
    ],
    [
      'missing shipping address (digital order), empty payment method',
      { ...base, order: order({ payment_method: ' ' }), shippingAddresses: [] },
      (() => {
        const { shippingAddress: _shipping, paymentMethod: _method, ...rest } = expectedBase;
        const { shippingMethod: _shippingMethod, ...attributes } = expectedBase.attributes;
        return { ...rest, attributes };
      })(),
    ],
    [
      'transactions given: amountPaid is the captured sum, voids and errors ignored, the capturing gateway and its transaction id kept',
      {
        ...base,
        transactions: [
          {
            id: 1,
            order_id: '218',
            event: 'authorization',
            method: 'credit_card',
            amount: 75.12,
            currency: 'USD',
            gateway: 'stripe',
            date_created: '2019-03-05T21:40:11Z',
            status: 'ok',
          },
          {
            id: 2,
            order_id: '218',
            event: 'capture',
            method: 'credit_card',
            amount: 50,
            currency: 'USD',
            gateway: 'stripe',
            gateway_transaction_id: 'pi_captured',
            date_created: '2019-03-05T21:41:11Z',
            status: 'ok',
          },
          {
            id: 3,
            order_id: '218',
            event: 'capture',
            method: 'credit_card',
            amount: 25.12,
            currency: 'USD',
            gateway: 'stripe',
            gateway_transaction_id: 'pi_failed',
            date_created: '2019-03-05T21:42:11Z',
            status: 'error',
          },
        ] satisfies Transaction[],
      },
      {
        ...expectedBase,
        amountPaid: 5000,
        attributes: { ...expectedBase.attributes, paymentGateway: 'stripe' },
        // The gateway's id of the money taken: what payout lines are matched by (the failed capture took none).
        gatewayTransactionIds: ['pi_captured'],
      },
    ],
    [
      'bundle children are not separate lines',
      {
        ...base,
        products: [
          ...twoLines,
          product(67, 'MUG-CER-12OZ', '0.0000', 1, '0.0000', '0.0000', { is_bundled_product: true, parent_order_product_id: 66 }),
        ],
      },
      expectedBase,
    ],
  ])('%s', (_case, input, expected) => {
    const mapped = fromBigCommerceOrder(input);
    expect(mapped).toStrictEqual(expected);
    expect(checkOrderBalance(canonicalOrderAmounts(mapped))).toMatchObject({ balanced: true, difference: 0 });
  });

  it.each<[string, BigCommerceOrderInput, string[]]>([
    [
      'an invalid currency is reported once',
      { ...base, order: order({ currency_code: 'usd', default_currency_code: 'usd' }) },
      ['invalid_currency'],
    ],
    [
      'a three-letter code that is no currency (XXX)',
      { ...base, order: order({ currency_code: 'XXX', default_currency_code: 'XXX' }) },
      ['invalid_currency'],
    ],
    [
      'a line with quantity 0',
      { ...base, products: [product(65, 'TSHIRT-BLK-M', '24.0000', 0, '0.0000', '0.0000')] },
      ['invalid_quantity'],
    ],
    [
      'an amount not exact in JPY',
      {
        ...base,
        order: order({
          currency_code: 'JPY',
          default_currency_code: 'JPY',
          shipping_cost_ex_tax: '500.5000',
          total_tax: '330.0000',
          total_inc_tax: '3830.0000',
        }),
        products: [product(65, 'TSHIRT-BLK-M', '1500.0000', 2, '3000.0000', '300.0000')],
      },
      ['inexact_amount'],
    ],
    [
      'lines without SKU, each listed',
      { ...base, products: [product(65, ' ', '24.0000', 2, '48.0000', '3.9600'), product(66, '', '14.0000', 1, '14.0000', '1.1600')] },
      ['missing_sku', 'missing_sku'],
    ],
    [
      'an unrecognised country on both addresses',
      {
        ...base,
        order: order({ billing_address: { ...billing, country: 'Narnia', country_iso2: '' } }),
        shippingAddresses: [{ ...shipTo, country: 'Narnia', country_iso2: '' }],
      },
      ['unrecognised_country', 'unrecognised_country'],
    ],
    [
      'line discounts larger than the order discounts',
      {
        ...base,
        products: [
          product(65, 'TSHIRT-BLK-M', '24.0000', 2, '48.0000', '3.9600', { applied_discounts: [{ id: 1, amount: 4, target: 'product' }] }),
        ],
      },
      ['inconsistent_discounts'],
    ],
    [
      'a transaction in another currency',
      {
        ...base,
        transactions: [
          {
            id: 9,
            order_id: '218',
            event: 'purchase',
            method: 'credit_card',
            amount: 75.12,
            currency: 'EUR',
            gateway: 'stripe',
            date_created: '2019-03-05T21:40:11Z',
          },
        ],
      },
      ['currency_mismatch'],
    ],
    ['a date that is not a date', { ...base, order: order({ date_created: '' }) }, ['invalid_date']],
    [
      'every problem is listed, not only the first',
      {
        ...base,
        order: order({ wrapping_cost_ex_tax: '1.001', billing_address: { ...billing, country: 'Atlantis', country_iso2: '' } }),
        products: [product(65, '', '24.0000', 2, '48.001', '3.9600')],
      },
      ['missing_sku', 'inexact_amount', 'inexact_amount', 'unrecognised_country'],
    ],
  ])('refuses: %s', (_case, input, codes) => {
    let caught: unknown;
    try {
      fromBigCommerceOrder(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OrderMappingError);
    const error = caught as OrderMappingError;
    expect(error.code).toBe('order_unmappable');
    expect(error.orderId).toBe('218');
    expect(error.problems.map((problem) => problem.code)).toEqual(codes);
    for (const problem of error.problems) expect(error.message).toContain(problem.message);
  });

  it('lists the fields in the message', () => {
    expect(() => fromBigCommerceOrder({ ...base, products: [product(65, '', '24.0000', 2, '48.0000', '3.9600')] })).toThrow(
      'bigcommerce order 218 cannot be mapped: line 65: line "Product 65" has no SKU',
    );
  });
});

describe('fromBigCommerceOrder on the BigCommerce sandbox seed orders', () => {
  const seed = seedData();
  const wire = (id: number): BigCommerceOrderInput => {
    const seeded = seed.orders.find((candidate) => candidate.id === id)!;
    return {
      order: orderView(seeded, 'http://sandbox.test/v2'),
      products: seeded.lines.map((line) => orderProductView(seeded, line) as OrderProduct),
      shippingAddresses: shippingAddressView(seeded, 'http://sandbox.test/v2'),
      coupons: couponView(seeded),
    };
  };

  it('seeds the orders this test expects', () => {
    expect(seed.orders.map((seeded) => seeded.id)).toEqual([100, 101, 102, 103]);
  });

  it('order 100 maps to the amounts the sandbox seeded', () => {
    expect(fromBigCommerceOrder(wire(100))).toMatchObject({
      orderId: '100',
      status: '11',
      placedAt: '2026-01-06T14:05:00.000Z',
      customer: { kind: 'registered', customerId: '1', email: 'jane.doe@example.com' },
      billingAddress: { region: 'TX', country: 'US' },
      lines: [
        { lineId: '1', sku: 'TSHIRT-BLK-M', quantity: 2, unitPrice: 2400, lineTotal: 4800, lineDiscount: 0, tax: 396 },
        { lineId: '2', sku: 'MUG-CER-12OZ', quantity: 1, unitPrice: 1450, lineTotal: 1450, lineDiscount: 0, tax: 120 },
      ],
      shipping: 800,
      tax: 516,
      total: 7566,
      amountPaid: 7566,
    });
  });

  it.each([100, 101, 102, 103])('order %i maps and balances', (id) => {
    const mapped = fromBigCommerceOrder(wire(id));
    expect(mapped.lines.length).toBeGreaterThan(0);
    expect(checkOrderBalance(canonicalOrderAmounts(mapped))).toMatchObject({ balanced: true, difference: 0 });
  });

  it('order 102 (guest, coupon) keeps its coupon as the order discount', () => {
    const mapped = fromBigCommerceOrder(wire(102));
    expect(mapped).toMatchObject({ customer: { kind: 'guest', email: 'sam.lee@example.com' }, couponCodes: ['WELCOME5'], discount: 500 });
  });
});

describe('fromBigCommerceOrder: tax by rate, VAT-inclusive prices, gift wrapping, consignments and UPCs', () => {
  const tax = (id: number, name: string, rate: string, amount: string, type: string, orderProductId?: number): OrderTax => ({
    id,
    order_id: 218,
    order_address_id: 1,
    tax_rate_id: id,
    tax_class_id: 0,
    name,
    class: 'Default Tax Class',
    rate: Number(rate),
    priority: 0,
    priority_amount: Number(amount),
    line_amount: amount,
    order_product_id: orderProductId === undefined ? null : String(orderProductId),
    line_item_type: type,
  });

  it('when the store lists its taxes by rate, then each line carries its breakdown and the charges theirs', () => {
    const canonical = fromBigCommerceOrder({
      ...base,
      order: order({ shipping_cost_tax: '0.5000', shipping_cost_inc_tax: '8.5000', total_tax: '5.6200', total_inc_tax: '75.6200' }),
      taxes: [
        tax(1, 'Texas State Tax', '6.2500', '3.0000', 'item', 65),
        tax(2, 'Austin City Tax', '2.0000', '0.9600', 'item', 65),
        tax(3, 'Texas State Tax', '6.2500', '0.8800', 'item', 66),
        tax(4, 'Austin City Tax', '2.0000', '0.2800', 'item', 66),
        tax(5, 'Texas State Tax', '6.2500', '0.5000', 'shipping'),
      ],
    });
    expect(canonical.lines.map((line) => line.taxes)).toEqual([
      [
        { name: 'Texas State Tax', ratePercent: '6.25', amount: 300 },
        { name: 'Austin City Tax', ratePercent: '2', amount: 96 },
      ],
      [
        { name: 'Texas State Tax', ratePercent: '6.25', amount: 88 },
        { name: 'Austin City Tax', ratePercent: '2', amount: 28 },
      ],
    ]);
    expect(canonical.chargeTaxes).toEqual([{ appliesTo: 'shipping', name: 'Texas State Tax', ratePercent: '6.25', amount: 50 }]);
    expect(canonical.tax).toBe(562);
    expect(checkOrderBalance(canonicalOrderAmounts(canonical))).toMatchObject({ balanced: true });
  });

  it('when prices include VAT, then the nets are the gross less the store’s VAT and the order’s tax is the VAT it itemised', () => {
    const vatLine = (id: number, grossUnit: string, quantity: number, gross: string, vat: string) =>
      product(id, `SKU-${id}`, grossUnit, quantity, gross, vat, {
        price_inc_tax: grossUnit,
        total_inc_tax: gross,
        // BigCommerce's own ex-tax figures for inclusive stores are rounded separately; the gross wins.
        price_ex_tax: '0.0000',
        total_ex_tax: '0.0000',
      });
    const canonical = fromBigCommerceOrder({
      ...base,
      order: order({
        default_currency_code: 'EUR',
        currency_code: 'EUR',
        is_tax_inclusive_pricing: true,
        shipping_cost_ex_tax: '4.9200',
        shipping_cost_inc_tax: '5.9000',
        shipping_cost_tax: '0.9800',
        wrapping_cost_ex_tax: '2.5000',
        wrapping_cost_inc_tax: '3.0000',
        wrapping_cost_tax: '0.5000',
        total_tax: '15.0800',
        total_inc_tax: '122.9700',
      }),
      products: [
        vatLine(65, '10.5500', 2, '21.1000', '1.1000'),
        vatLine(66, '33.0000', 1, '33.0000', '3.0000'),
        vatLine(67, '19.9900', 3, '59.9700', '9.9900'),
      ],
      taxes: [
        tax(1, 'TVA 5,5 %', '5.5000', '1.1000', 'item', 65),
        tax(2, 'TVA 10 %', '10.0000', '3.0000', 'item', 66),
        tax(3, 'TVA 20 %', '20.0000', '9.9900', 'item', 67),
        tax(4, 'TVA 20 %', '20.0000', '0.9800', 'shipping'),
        tax(5, 'TVA 20 %', '20.0000', '0.5000', 'gift_wrapping'),
      ],
    });
    expect(canonical.pricesIncludeTax).toBe(true);
    expect(canonical.lines.map(({ unitPrice, lineTotal, tax: lineTax }) => ({ unitPrice, lineTotal, tax: lineTax }))).toEqual([
      { unitPrice: 1055, lineTotal: 2000, tax: 110 },
      { unitPrice: 3300, lineTotal: 3000, tax: 300 },
      { unitPrice: 1999, lineTotal: 4998, tax: 999 },
    ]);
    expect({ shipping: canonical.shipping, giftWrapping: canonical.giftWrapping, tax: canonical.tax }).toEqual({
      shipping: 492,
      giftWrapping: 250,
      tax: 110 + 300 + 999 + 98 + 50,
    });
    expect(checkOrderBalance(canonicalOrderAmounts(canonical))).toMatchObject({ balanced: true });
  });

  it('when an order is gift wrapped without a tax breakdown, then wrapping is its own charge and its tax is unnamed', () => {
    const canonical = fromBigCommerceOrder({
      ...base,
      order: order({
        wrapping_cost_ex_tax: '3.0000',
        wrapping_cost_inc_tax: '3.2500',
        wrapping_cost_tax: '0.2500',
        total_tax: '5.3700',
        total_inc_tax: '78.3700',
      }),
    });
    expect(canonical.giftWrapping).toBe(300);
    expect(canonical.chargeTaxes).toEqual([{ appliesTo: 'giftWrapping', amount: 25 }]);
    expect(checkOrderBalance(canonicalOrderAmounts(canonical))).toMatchObject({ balanced: true });
  });

  it('when lines ship to two addresses and carry UPCs, then every ship-to is kept and each line names its own', () => {
    const second: OrderShippingAddress = { ...shipTo, id: 2, city: 'Dallas', shipping_method: 'Express' };
    const canonical = fromBigCommerceOrder({
      ...base,
      products: [
        product(65, 'TSHIRT-BLK-M', '24.0000', 2, '48.0000', '3.9600', { upc: '0012345678905' }),
        product(66, 'MUG-CER-12OZ', '14.0000', 1, '14.0000', '1.1600', { order_address_id: 2, upc: '' }),
      ],
      shippingAddresses: [shipTo, second],
    });
    expect(canonical.lines.map(({ upc, shipToId }) => ({ upc, shipToId }))).toEqual([
      { upc: '0012345678905', shipToId: '1' },
      { upc: undefined, shipToId: '2' },
    ]);
    expect(canonical.shipTos?.map(({ id, address, shippingMethod }) => ({ id, city: address.city, shippingMethod }))).toEqual([
      { id: '1', city: 'Austin', shippingMethod: 'Flat Rate' },
      { id: '2', city: 'Dallas', shippingMethod: 'Express' },
    ]);
  });
});

describe('fromBigCommerceOrder: store attributes for rules', () => {
  it("when the customer's group was read and a line is digital, then the order keeps the group and each line its product type", () => {
    const mapped = fromBigCommerceOrder({
      ...base,
      products: base.products.map((product, index) => (index === 1 ? { ...product, type: 'digital' } : product)),
      customerGroupId: 4,
    });
    expect(mapped.attributes.customerGroupId).toBe('4');
    expect(mapped.lines.map((line) => line.attributes)).toEqual([{ productType: 'physical' }, { productType: 'digital' }]);
  });

  it("when the order is a guest's or the customer has no group, then no group is kept", () => {
    expect(fromBigCommerceOrder({ ...base, customerGroupId: 0 }).attributes.customerGroupId).toBeUndefined();
    expect(fromBigCommerceOrder({ ...base, order: order({ customer_id: 0 }), customerGroupId: 4 }).attributes).not.toHaveProperty(
      'customerGroupId',
    );
  });
});

describe('fromBigCommerceOrder: metafields and product custom fields the settings name', () => {
  const metafield = (id: number, namespace: string, key: string, value: string) => ({ id, namespace, key, value, permission_set: 'read' });
  const [firstProductId, secondProductId] = base.products.map((product) => String(product.product_id));
  const read = {
    metafields: [
      metafield(1, 'erp', 'costCenter', 'CC-42'),
      metafield(2, 'erp', 'buyerPhone', '+1 512 555 0100'),
      metafield(3, 'crm.v2', 'segment', 'b2b'),
    ],
    productCustomFields: {
      [firstProductId!]: [
        { name: 'Product Line', value: 'Apparel' },
        { name: 'Product Line', value: 'Outlet' },
        { name: 'Supplier Email', value: 'buyer@supplier.example' },
      ],
      [secondProductId!]: [{ name: 'Warranty', value: '2y' }],
    },
  };

  it.each<{
    case: string;
    references: { orderMetafields: string[]; productCustomFields: string[] } | undefined;
    metafields: unknown;
    lines: unknown[];
  }>([
    { case: 'the settings name none', references: undefined, metafields: undefined, lines: [undefined, undefined] },
    {
      case: 'the settings name one metafield and one custom field',
      references: { orderMetafields: ['erp.costCenter'], productCustomFields: ['Product Line'] },
      metafields: { 'erp.costCenter': 'CC-42' },
      lines: [{ 'Product Line': 'Apparel' }, undefined],
    },
    {
      case: 'a namespace holds a dot',
      references: { orderMetafields: ['crm.v2.segment'], productCustomFields: ['Warranty'] },
      metafields: { 'crm.v2.segment': 'b2b' },
      lines: [undefined, { Warranty: '2y' }],
    },
    {
      case: 'the named ones are absent from the order',
      references: { orderMetafields: ['erp.region'], productCustomFields: ['Colour'] },
      metafields: undefined,
      lines: [undefined, undefined],
    },
  ])('when $case, then only the named ones are kept (the first value of a repeated name)', ({ references, metafields, lines }) => {
    const mapped = fromBigCommerceOrder({ ...base, ...read, ...(references !== undefined && { references }) });
    expect(mapped.metafields).toEqual(metafields);
    expect(mapped.lines.map((line) => line.productCustomFields)).toEqual(lines);
    expect(JSON.stringify(mapped)).not.toMatch(/555 0100|supplier\.example/);
  });
});

describe('fromBigCommerceOrder: the products’ brand and categories', () => {
  const [firstProductId, secondProductId] = base.products.map((product) => String(product.product_id));
  const classify = (
    productClassification: Record<string, { brand_id?: number; categories?: number[] }>,
    names: { brandNames?: Record<string, string>; categoryNames?: Record<string, string> } = {},
  ) =>
    fromBigCommerceOrder({ ...base, productClassification, ...names }).lines.map(({ brand, brandId, categories, categoryIds }) => ({
      brand,
      brandId,
      categories,
      categoryIds,
    }));

  it.each<{ case: string; brandNames?: Record<string, string>; categoryNames?: Record<string, string>; expected: unknown[] }>([
    {
      case: 'only ids were read (rules name brandId and categoryIds)',
      expected: [
        { brand: undefined, brandId: '35', categories: undefined, categoryIds: ['18', '19'] },
        { brand: undefined, brandId: undefined, categories: undefined, categoryIds: ['21'] },
      ],
    },
    {
      case: 'the names were read too',
      brandNames: { '35': 'Trailhead' },
      categoryNames: { '18': 'Apparel', '19': 'Tees', '21': 'Kitchen' },
      expected: [
        { brand: 'Trailhead', brandId: '35', categories: ['Apparel', 'Tees'], categoryIds: ['18', '19'] },
        { brand: undefined, brandId: undefined, categories: ['Kitchen'], categoryIds: ['21'] },
      ],
    },
    {
      case: 'a category was deleted since (its name is not found): its id is kept alone',
      brandNames: {},
      categoryNames: { '18': 'Apparel' },
      expected: [
        { brand: undefined, brandId: '35', categories: ['Apparel'], categoryIds: ['18', '19'] },
        { brand: undefined, brandId: undefined, categories: undefined, categoryIds: ['21'] },
      ],
    },
  ])('when $case, then each line carries its product’s (brand_id 0 is no brand)', ({ brandNames, categoryNames, expected }) => {
    const read = { [firstProductId!]: { brand_id: 35, categories: [18, 19] }, [secondProductId!]: { brand_id: 0, categories: [21] } };
    expect(classify(read, { ...(brandNames && { brandNames }), ...(categoryNames && { categoryNames }) })).toEqual(expected);
  });

  it('when nothing about the products was read, then the lines have no brand or categories', () => {
    const mapped = fromBigCommerceOrder(base);
    expect(mapped.lines.every((line) => !('brand' in line || 'brandId' in line || 'categories' in line || 'categoryIds' in line))).toBe(
      true,
    );
  });
});
