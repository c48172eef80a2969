import { describe, expect, it } from 'vitest';
import type { Order, OrderAddress, OrderCoupon, OrderProduct, OrderShippingAddress, Transaction } from '../connectors/bigcommerce/index.js';
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
          { lineId: '66', sku: 'MUG-CER-12OZ', name: 'Product 66', quantity: 1, unitPrice: 0, lineTotal: 0, lineDiscount: 0, tax: 30 },
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
    ['gift wrapping is not mapped', { ...base, order: order({ wrapping_cost_ex_tax: '3.0000' }) }, ['unsupported_charge']],
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
        order: order({ wrapping_cost_ex_tax: '1.0000', billing_address: { ...billing, country: 'Atlantis', country_iso2: '' } }),
        products: [product(65, '', '24.0000', 2, '48.001', '3.9600')],
      },
      ['missing_sku', 'inexact_amount', 'unsupported_charge', 'unrecognised_country'],
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
