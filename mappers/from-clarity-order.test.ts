import { describe, expect, it } from 'vitest';
import type { ClarityAddress, ClarityLineItem, ClarityOrder } from '../connectors/clarity/index.js';
import { canonicalOrderAmounts, type CanonicalOrder } from './canonical-order.js';
import { fromClarityOrder } from './from-clarity-order.js';
import { checkOrderBalance } from './money.js';
import { OrderMappingError } from './order-mapping-error.js';

const jane: ClarityAddress = {
  firstName: 'Jane',
  lastName: 'Doe',
  company: null,
  line1: '555 East Street',
  line2: null,
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  phone: '+1 512 555 0142',
  email: 'jane.doe@example.com',
};

const tee: ClarityLineItem = {
  lineId: 'L-1',
  sku: 'TSHIRT-BLK-M',
  name: 'Classic T-Shirt, Black, M',
  quantity: 2,
  unitPrice: '24.00',
  discount: '4.80',
  tax: '3.56',
  lineTotal: '46.76',
};
const mug: ClarityLineItem = {
  lineId: 'L-2',
  sku: 'MUG-WHT-11OZ',
  name: 'Ceramic Mug, White, 11 oz',
  quantity: 1,
  unitPrice: '14.50',
  discount: '1.45',
  tax: '1.08',
  lineTotal: '14.13',
};

function order(overrides: Partial<ClarityOrder> = {}): ClarityOrder {
  return {
    orderId: 'ORD-1001',
    orderNumber: '1001',
    customerId: 'CU-2001',
    customerEmail: 'Jane.Doe@example.com',
    orderDate: '2026-11-02T14:03:22.000Z',
    updatedAt: '2026-11-02T14:03:22.000Z',
    status: 'processing',
    currency: 'USD',
    subtotalAmount: '62.50',
    discountAmount: '6.25',
    shippingAmount: '7.95',
    taxAmount: '4.64',
    totalAmount: '68.84',
    couponCode: 'SPRING10',
    billingAddress: jane,
    shippingAddress: jane,
    shippingMethod: 'Ground',
    lineItems: [tee, mug],
    paymentInfo: {
      method: 'credit_card',
      status: 'captured',
      gateway: 'stripe',
      transactionId: null,
      amount: '68.84',
      cardBrand: 'visa',
      last4: '4242',
    },
    erpReference: null,
    ...overrides,
  };
}

const janeCanonical = {
  firstName: 'Jane',
  lastName: 'Doe',
  line1: '555 East Street',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  phone: '+1 512 555 0142',
  email: 'jane.doe@example.com',
};
const expectedBase: CanonicalOrder = {
  storefront: 'clarity',
  orderId: 'ORD-1001',
  status: 'processing',
  placedAt: '2026-11-02T14:03:22.000Z',
  currency: 'USD',
  customer: { kind: 'registered', customerId: 'CU-2001', email: 'jane.doe@example.com' },
  billingAddress: janeCanonical,
  shippingAddress: janeCanonical,
  lines: [
    {
      lineId: 'L-1',
      sku: 'TSHIRT-BLK-M',
      name: 'Classic T-Shirt, Black, M',
      quantity: 2,
      unitPrice: 2400,
      lineTotal: 4800,
      lineDiscount: 0,
      tax: 356,
    },
    {
      lineId: 'L-2',
      sku: 'MUG-WHT-11OZ',
      name: 'Ceramic Mug, White, 11 oz',
      quantity: 1,
      unitPrice: 1450,
      lineTotal: 1450,
      lineDiscount: 0,
      tax: 108,
    },
  ],
  shipping: 795,
  handling: 0,
  discount: 625,
  tax: 464,
  total: 6884,
  couponCodes: ['SPRING10'],
  paymentMethod: 'credit_card',
  amountPaid: 6884,
  attributes: { orderNumber: '1001', paymentStatus: 'captured', shippingMethod: 'Ground', paymentGateway: 'stripe' },
};

describe('fromClarityOrder', () => {
  it.each<[string, ClarityOrder, CanonicalOrder]>([
    ['a registered customer with a coupon (line discounts are shares of the order discount, not counted twice)', order(), expectedBase],
    [
      "paid with the gateway's transaction id: kept as the payment's gateway id (what payout lines match)",
      order({ paymentInfo: { ...order().paymentInfo, transactionId: ' pi_123 ' } }),
      { ...expectedBase, gatewayTransactionIds: ['pi_123'] },
    ],
    [
      'guest order (null customerId), payment only authorised',
      order({ customerId: null, customerEmail: ' sam.lee@example.net ', paymentInfo: { ...order().paymentInfo, status: 'authorized' } }),
      {
        ...expectedBase,
        customer: { kind: 'guest', email: 'sam.lee@example.net' },
        amountPaid: 0,
        attributes: { ...expectedBase.attributes, paymentStatus: 'authorized' },
      },
    ],
    [
      "the customer's group and each line's product type (proposal additions): kept as rules read them, trimmed",
      order({
        customerGroup: ' wholesale ',
        lineItems: [
          { ...tee, productType: ' apparel ' },
          { ...mug, productType: 'drinkware' },
        ],
      }),
      {
        ...expectedBase,
        lines: [
          { ...expectedBase.lines[0]!, attributes: { productType: 'apparel' } },
          { ...expectedBase.lines[1]!, attributes: { productType: 'drinkware' } },
        ],
        attributes: { ...expectedBase.attributes, customerGroupId: 'wholesale' },
      },
    ],
    [
      'no group and no product type (null, blank): nothing kept, as from a site that sends neither',
      order({
        customerGroup: null,
        lineItems: [
          { ...tee, productType: null },
          { ...mug, productType: '  ' },
        ],
      }),
      expectedBase,
    ],
    [
      "a guest order naming a group: a guest has no customer, so no customer's group",
      order({ customerId: null, customerGroup: 'wholesale' }),
      { ...expectedBase, customer: { kind: 'guest', email: 'jane.doe@example.com' } },
    ],
    [
      'free shipping and no coupon',
      order({
        couponCode: null,
        discountAmount: '0.00',
        shippingAmount: '0.00',
        lineItems: [
          { ...tee, discount: '0.00' },
          { ...mug, discount: '0.00' },
        ],
        totalAmount: '67.14',
        paymentInfo: { ...order().paymentInfo, amount: '67.14' },
      }),
      { ...expectedBase, couponCodes: [], discount: 0, shipping: 0, total: 6714, amountPaid: 6714 },
    ],
    [
      "a site that taxes shipping: taxAmount beyond the lines' tax is shipping's tax, unnamed",
      order({ taxAmount: '5.30', totalAmount: '69.50', paymentInfo: { ...order().paymentInfo, amount: '69.50' } }),
      { ...expectedBase, tax: 530, total: 6950, amountPaid: 6950, chargeTaxes: [{ appliesTo: 'shipping', amount: 66 }] },
    ],
    [
      'tax beyond the lines on an order without shipping: not shipping’s, left for the checks to name',
      order({
        shippingAmount: '0.00',
        taxAmount: '4.65',
        totalAmount: '60.90',
        paymentInfo: { ...order().paymentInfo, amount: '60.90' },
      }),
      { ...expectedBase, shipping: 0, tax: 465, total: 6090, amountPaid: 6090 },
    ],
    [
      'an untaxed order (tax-exempt customer): no line tax, no charge tax',
      order({
        lineItems: [
          { ...tee, tax: '0.00', lineTotal: '43.20' },
          { ...mug, tax: '0.00', lineTotal: '12.30' },
        ],
        taxAmount: '0.00',
        totalAmount: '64.20',
        paymentInfo: { ...order().paymentInfo, amount: '64.20' },
      }),
      {
        ...expectedBase,
        lines: [
          { ...expectedBase.lines[0]!, tax: 0 },
          { ...expectedBase.lines[1]!, tax: 0 },
        ],
        tax: 0,
        total: 6420,
        amountPaid: 6420,
      },
    ],
    [
      'foreign currency JPY with 0 decimals',
      order({
        currency: 'JPY',
        subtotalAmount: '4000',
        discountAmount: '400',
        shippingAmount: '500',
        taxAmount: '360',
        totalAmount: '4460',
        lineItems: [
          { ...tee, quantity: 2, unitPrice: '1500', discount: '300', tax: '270', lineTotal: '2970' },
          { ...mug, unitPrice: '1000', discount: '100', tax: '90', lineTotal: '990' },
        ],
        paymentInfo: { ...order().paymentInfo, amount: '4460' },
      }),
      {
        ...expectedBase,
        currency: 'JPY',
        lines: [
          { ...expectedBase.lines[0]!, unitPrice: 1500, lineTotal: 3000, tax: 270 },
          { ...expectedBase.lines[1]!, unitPrice: 1000, lineTotal: 1000, tax: 90 },
        ],
        discount: 400,
        shipping: 500,
        tax: 360,
        total: 4460,
        amountPaid: 4460,
      },
    ],
    [
      'addresses standardised: whitespace, region name, country name, postal code case',
      order({
        shippingAddress: {
          ...jane,
          firstName: ' Jane ',
          line1: ' 555  East Street ',
          city: 'Toronto ',
          region: 'ontario',
          postalCode: 'm5v 3l9',
          country: 'Canada',
          company: ' ',
          line2: 'Unit 4 ',
        },
      }),
      {
        ...expectedBase,
        shippingAddress: {
          ...janeCanonical,
          line1: '555 East Street',
          line2: 'Unit 4',
          city: 'Toronto',
          region: 'ON',
          postalCode: 'M5V 3L9',
          country: 'CA',
        },
      },
    ],
  ])('%s', (_case, input, expected) => {
    const mapped = fromClarityOrder(input);
    expect(mapped).toStrictEqual(expected);
    expect(checkOrderBalance(canonicalOrderAmounts(mapped))).toMatchObject({ balanced: true, difference: 0 });
  });

  it.each<[string, ClarityOrder, string[]]>([
    ['an invalid currency', order({ currency: 'dollars' }), ['invalid_currency']],
    [
      'amounts not exact in JPY',
      order({ currency: 'JPY', shippingAmount: '500.50', totalAmount: '4460.25' }),
      [
        'inexact_amount',
        'inexact_amount',
        'inexact_amount',
        'inexact_amount',
        'inexact_amount',
        'inexact_amount',
        'inexact_amount',
        'inexact_amount',
      ],
    ],
    ['a line without SKU', order({ lineItems: [tee, { ...mug, sku: '  ' }] }), ['missing_sku']],
    ['an unknown country', order({ shippingAddress: { ...jane, country: 'ZZ' } }), ['unrecognised_country']],
    ['an order date that is not a date', order({ orderDate: 'yesterday' }), ['invalid_date']],
    ['a three-letter code that is no currency (XXX)', order({ currency: 'XXX' }), ['invalid_currency']],
    ['a line with quantity 0', order({ lineItems: [tee, { ...mug, quantity: 0 }] }), ['invalid_quantity']],
    ['a line with a fractional quantity', order({ lineItems: [{ ...tee, quantity: 1.5 }, mug] }), ['invalid_quantity']],
  ])('refuses: %s', (_case, input, codes) => {
    let caught: unknown;
    try {
      fromClarityOrder(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OrderMappingError);
    const error = caught as OrderMappingError;
    expect(error.code).toBe('order_unmappable');
    expect(error.problems.map((problem) => problem.code)).toEqual(codes);
  });

  it('names the order and each problem in the message', () => {
    expect(() => fromClarityOrder(order({ lineItems: [{ ...tee, sku: '' }], shippingAddress: { ...jane, country: 'ZZ' } }))).toThrow(
      'clarity order ORD-1001 cannot be mapped: line L-1: line "Classic T-Shirt, Black, M" has no SKU; shipping address: country "ZZ" is not recognised',
    );
  });
});
