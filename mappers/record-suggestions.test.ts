import { describe, expect, it } from 'vitest';
import {
  suggestCustomers,
  suggestDimensionValues,
  suggestPaymentAccounts,
  suggestShippingMethods,
  textSimilarity,
  type SuggestibleCustomer,
  type SuggestibleDimensionValue,
} from './record-suggestions.js';

const customers: SuggestibleCustomer[] = [
  {
    customerId: 'C-1001',
    name: 'Jane Doe',
    email: 'jane@example.com',
    address: { line1: '12 Main St', city: 'Austin', postalCode: '78701', country: 'US' },
  },
  { customerId: 'C-1002', name: 'Acme Outfitters', company: 'Acme Outfitters Inc', email: 'ap@acme.example' },
  {
    customerId: 'C-1003',
    name: 'John Smith',
    email: 'john@smith.example',
    address: { line1: '99 Oak Ave', city: 'Boston', postalCode: '02108', country: 'US' },
  },
];

const firstRow = (candidates: Array<{ row: Record<string, string> }>) => candidates[0]?.row;

describe('customer suggestions', () => {
  it.each<[string, Parameters<typeof suggestCustomers>[0], string | undefined, string[]]>([
    ['the email is the same, in another case', { storefrontCustomer: '7', email: 'JANE@example.com' }, 'C-1001', ['same email']],
    ['a guest key is the email', { storefrontCustomer: 'john@smith.example' }, 'C-1003', ['same email']],
    [
      'the name is reordered and the address the same',
      {
        storefrontCustomer: '8',
        name: 'Doe Jane',
        address: { line1: '12 Main Street', city: 'Austin', postalCode: '78701', country: 'US' },
      },
      'C-1001',
      ['name 100 % similar', 'address 90 % similar'],
    ],
    [
      'the company is named without its suffix',
      { storefrontCustomer: '9', company: 'Acme Outfitters' },
      'C-1002',
      ['company 80 % similar'],
    ],
    ['nothing is alike', { storefrontCustomer: '10', name: 'Maria Garcia' }, undefined, []],
  ])('when %s then the suggestion is %s', (_name, query, expected, reasons) => {
    const candidates = suggestCustomers(query, customers);
    expect(candidates[0]?.row.intacctCustomerId).toBe(expected);
    expect(candidates[0]?.reasons ?? []).toEqual(reasons);
    if (expected !== undefined) expect(candidates[0]!.row.storefrontCustomer).toBe(query.storefrontCustomer);
  });

  it('when the name is alike but both sides have different emails then the candidate is weaker and says so', () => {
    const [withEmail] = suggestCustomers({ storefrontCustomer: '11', name: 'Jane Doe', email: 'other@example.com' }, customers);
    const [without] = suggestCustomers({ storefrontCustomer: '11', name: 'Jane Doe' }, customers);
    expect(withEmail!.confidence).toBeLessThan(without!.confidence);
    expect(withEmail!.reasons).toContain('another email');
  });

  it('when the address is in another country then the address counts for nothing, and the name alone is not enough', () => {
    const [candidate] = suggestCustomers(
      { storefrontCustomer: '12', name: 'Jane Doe', address: { line1: '12 Main St', city: 'Austin', postalCode: '78701', country: 'CA' } },
      customers,
      { minimumConfidence: 0 },
    );
    expect(candidate).toEqual({
      row: { storefrontCustomer: '12', intacctCustomerId: 'C-1001' },
      confidence: 0.51,
      reasons: ['name 100 % similar', 'address 0 % similar'],
    });
    expect(suggestCustomers({ storefrontCustomer: '12', name: 'Jane Doe', address: { line1: '1 Rue', country: 'CA' } }, customers)).toEqual(
      [],
    );
  });
});

describe('payment method suggestions', () => {
  const accounts = {
    glAccounts: [
      { accountNo: '1010', title: 'PayPal Clearing' },
      { accountNo: '1020', title: 'Stripe Clearing' },
      { accountNo: '1200', title: 'Accounts Receivable' },
    ],
    bankAccounts: [{ bankAccountId: 'BOA-CHK', name: 'Bank of America' }],
  };

  it.each<[string, string, Record<string, string> | undefined]>([
    ['the method is named in a GL account title', 'PayPal', { paymentMethod: 'PayPal', glAccountNo: '1010' }],
    ['the method is named in another case', 'stripe', { paymentMethod: 'stripe', glAccountNo: '1020' }],
    ['the method names the bank', 'Bank of America transfer', { paymentMethod: 'Bank of America transfer', bankAccountId: 'BOA-CHK' }],
    ['nothing is named', 'Cash on delivery', undefined],
  ])('when %s then the suggestion is %j', (_name, paymentMethod, expected) => {
    expect(firstRow(suggestPaymentAccounts({ paymentMethod }, accounts))).toEqual(expected);
  });

  it('when the title names the method then the reason quotes the title', () => {
    expect(suggestPaymentAccounts({ paymentMethod: 'PayPal' }, accounts)[0]).toEqual({
      row: { paymentMethod: 'PayPal', glAccountNo: '1010' },
      confidence: 0.9,
      reasons: ['GL account title "PayPal Clearing" names PayPal'],
    });
  });
});

describe('dimension value suggestions', () => {
  const values: SuggestibleDimensionValue[] = [
    { dimension: 'department', id: 'ECOM', name: 'E-commerce' },
    { dimension: 'department', id: 'SALES', name: 'Sales' },
    { dimension: 'class', id: 'RETAIL', name: 'Retail' },
    { dimension: 'class', id: 'WHOLESALE', name: 'Wholesale' },
    { dimension: 'location', id: '200', name: 'East Coast' },
  ];

  it.each<[string, Parameters<typeof suggestDimensionValues>[0], Record<string, string> | undefined, string]>([
    ['the value is an id', { storefrontValue: 'retail' }, { storefrontValue: 'retail', class: 'RETAIL' }, 'same as the class id'],
    [
      'the value is a name',
      { storefrontValue: 'East Coast' },
      { storefrontValue: 'East Coast', location: '200' },
      'same as the location name',
    ],
    [
      'the value is a name with other separators',
      { storefrontValue: 'ecommerce' },
      { storefrontValue: 'ecommerce', department: 'ECOM' },
      'same as the department name',
    ],
    [
      'the value has a typo',
      { storefrontValue: 'Wholesal' },
      { storefrontValue: 'Wholesal', class: 'WHOLESALE' },
      'class Wholesale 89 % similar',
    ],
  ])('when %s then the suggestion is that value', (_name, query, expected, reason) => {
    const [candidate] = suggestDimensionValues(query, values);
    expect(candidate?.row).toEqual(expected);
    expect(candidate?.reasons).toEqual([reason]);
  });

  it('when the query names a dimension then only its values are offered', () => {
    expect(suggestDimensionValues({ storefrontValue: 'Retail', dimension: 'department' }, values)).toEqual([]);
  });
});

describe('shipping method suggestions', () => {
  const methods = ['UPS Ground', 'FedEx 2Day', 'DHL Express', 'Will Call'];

  it.each<[string, string, string | undefined]>([
    ['the method is the same in another case', 'ups ground', 'UPS Ground'],
    ['the method has the carrier and more words', 'FedEx 2Day Air', 'FedEx 2Day'],
    ['the method is the same service', 'DHL Express Worldwide', 'DHL Express'],
    ['the method is pick-up in store', 'Free shipping', undefined],
  ])('when %s then the suggestion is %s', (_name, storefrontMethod, expected) => {
    expect(suggestShippingMethods({ storefrontMethod }, methods)[0]?.row.intacctShippingMethod).toBe(expected);
  });

  it('when the service name is alike but the carrier differs then it is not offered', () => {
    expect(suggestShippingMethods({ storefrontMethod: 'FedEx Ground' }, ['UPS Ground'])).toEqual([]);
  });

  it('when many methods are alike then at most `limit` come, best first', () => {
    const candidates = suggestShippingMethods({ storefrontMethod: 'UPS Ground' }, ['UPS Ground', 'UPS Ground Saver', 'UPS Next Day'], {
      limit: 2,
    });
    expect(candidates.map((candidate) => candidate.row.intacctShippingMethod)).toEqual(['UPS Ground', 'UPS Ground Saver']);
  });
});

describe('text similarity', () => {
  it.each<[string, string, number]>([
    ['Jane Doe', 'Doe, Jane', 1],
    ['', 'anything', 0],
  ])('when %j meets %j then it is %d', (a, b, expected) => {
    expect(textSimilarity(a, b)).toBe(expected);
  });
});
