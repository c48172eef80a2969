import { describe, expect, it } from 'vitest';
import type { CanonicalAddress, CanonicalOrder } from './canonical-order.js';
import {
  customerMappingKeyOf,
  intacctCustomerIdFor,
  maxIntacctCustomerIdLength,
  shopperFieldValue,
  shopperKeysOf,
  shortHash,
  toIntacctCustomer,
  type ShopperKeys,
} from './customer-record.js';

const billing: CanonicalAddress = {
  firstName: 'Jane',
  lastName: 'Doe',
  line1: '1 Main St',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  email: 'Billing@Example.com',
  phone: '512-555-0100',
};
type Shopper = Pick<CanonicalOrder, 'customer' | 'billingAddress'>;

describe('shopperKeysOf', () => {
  it.each<[string, Shopper, ShopperKeys]>([
    [
      'a registered shopper with an order email',
      { customer: { kind: 'registered', customerId: '42', email: 'Jane@Example.com' }, billingAddress: billing },
      { storefrontCustomerId: '42', email: 'jane@example.com', phone: '512-555-0100' },
    ],
    [
      'a registered shopper without an order email',
      { customer: { kind: 'registered', customerId: '42' }, billingAddress: billing },
      { storefrontCustomerId: '42', email: 'billing@example.com', phone: '512-555-0100' },
    ],
    [
      'a guest',
      { customer: { kind: 'guest', email: 'g@example.com' }, billingAddress: { ...billing, phone: ' ' } },
      { email: 'g@example.com' },
    ],
    [
      'a registered shopper whose id is blank and who left no contact details',
      {
        customer: { kind: 'registered', customerId: ' ' },
        billingAddress: { firstName: 'A', lastName: 'B', line1: '1', city: 'X', country: 'US' },
      },
      {},
    ],
  ])('when the order is from %s, then the keys are the id, the lower-case email and the phone', (_case, order, expected) => {
    expect(shopperKeysOf(order)).toEqual(expected);
  });

  it('when a match key reads the company, then the billing company is a key too, and only then', () => {
    const order: Shopper = { customer: { kind: 'registered', customerId: '42' }, billingAddress: { ...billing, company: ' Acme Ltd ' } };
    expect(shopperKeysOf(order, { company: true })).toMatchObject({ company: 'Acme Ltd' });
    expect(shopperKeysOf(order)).not.toHaveProperty('company');
    expect(shopperKeysOf({ ...order, billingAddress: billing }, { company: true })).not.toHaveProperty('company');
  });
});

describe('shopperFieldValue', () => {
  const keys: ShopperKeys = { storefrontCustomerId: '42', email: 'jane@example.com', phone: '512-555-0100', company: 'Acme Ltd' };
  it.each([
    ['customerId', '42'],
    ['email', 'jane@example.com'],
    ['phone', '512-555-0100'],
    ['company', 'Acme Ltd'],
  ] as const)('when a field match key reads %s, then it gets %s', (field, expected) => {
    expect(shopperFieldValue(keys, field)).toBe(expected);
    expect(shopperFieldValue({}, field)).toBeUndefined();
  });
});

describe('intacctCustomerIdFor', () => {
  it.each<[string, CanonicalOrder['storefront'], ShopperKeys, string | RegExp | undefined]>([
    ['a BigCommerce customer id', 'bigcommerce', { storefrontCustomerId: '42', email: 'x@example.com' }, 'BC-42'],
    ['a Clarity customer id', 'clarity', { storefrontCustomerId: 'CU-2001' }, 'CL-CU-2001'],
    ['the longest id that still fits', 'bigcommerce', { storefrontCustomerId: '12345678901234567' }, 'BC-12345678901234567'],
    ['an id one character too long', 'bigcommerce', { storefrontCustomerId: '123456789012345678' }, /^BCH-[0-9A-Z]{13}$/],
    ['a GUID', 'clarity', { storefrontCustomerId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }, /^CLH-[0-9A-Z]{13}$/],
    ['an id with characters Intacct advises against', 'clarity', { storefrontCustomerId: 'a b' }, /^CLH-[0-9A-Z]{13}$/],
    ['an id with a double dash', 'clarity', { storefrontCustomerId: 'a--b' }, /^CLH-[0-9A-Z]{13}$/],
    ['only an email', 'bigcommerce', { email: 'jane@example.com' }, /^BCE-[0-9A-Z]{13}$/],
    ['neither id nor email', 'bigcommerce', { phone: '1' }, undefined],
  ])('when the shopper has %s, then the Intacct id is %s', (_case, storefront, keys, expected) => {
    const id = intacctCustomerIdFor(storefront, keys);
    if (expected instanceof RegExp) expect(id).toMatch(expected);
    else expect(id).toBe(expected);
    if (id !== undefined) expect(id.length).toBeLessThanOrEqual(maxIntacctCustomerIdLength);
  });

  it('when the same shopper is mapped again, then the id is the same, and another shopper gets another id', () => {
    const guid = { storefrontCustomerId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' };
    expect(intacctCustomerIdFor('clarity', guid)).toBe(intacctCustomerIdFor('clarity', { ...guid }));
    expect(intacctCustomerIdFor('clarity', guid)).not.toBe(
      intacctCustomerIdFor('clarity', { storefrontCustomerId: '7c9e6679-7425-40de-944b-e07fc1f90ae8' }),
    );
    expect(intacctCustomerIdFor('bigcommerce', { email: 'jane@example.com' })).toBe(
      intacctCustomerIdFor('bigcommerce', { email: 'JANE@example.com' }),
    );
  });

  it.each([
    ['', 'CQWMWWJ2248S5'],
    ['a', 'AYRYW9J303V4C'],
    ['foobar', '8B521E7VKJSZ8'],
  ])('when "%s" is hashed, then it is the FNV-1a 64 test vector in Crockford base 32 (%s)', (text, expected) => {
    // cbf29ce484222325, af63dc4c8601ec8c and 85944171f73967e8 are FNV-1a 64's published vectors.
    expect(shortHash(text)).toBe(expected);
  });
});

describe('customerMappingKeyOf', () => {
  it.each<[string, ShopperKeys, string | undefined]>([
    ['a customer id and an email', { storefrontCustomerId: '42', email: 'a@example.com' }, '42'],
    ['only an email', { email: 'a@example.com' }, 'a@example.com'],
    ['neither', { phone: '1' }, undefined],
  ])('when the shopper has %s, then the row is keyed by %s', (_case, keys, expected) => {
    expect(customerMappingKeyOf(keys)).toBe(expected);
  });
});

describe('toIntacctCustomer', () => {
  it('when a registered shopper is created, then the customer is named after them with their contact details, address and the default term', () => {
    expect(
      toIntacctCustomer(
        { customer: { kind: 'registered', customerId: '42', email: 'jane@example.com' }, billingAddress: billing },
        'BC-42',
        { paymentTerm: 'Due on Receipt' },
      ),
    ).toEqual({
      customerId: 'BC-42',
      name: 'Jane Doe',
      email: 'jane@example.com',
      phone: '512-555-0100',
      firstName: 'Jane',
      lastName: 'Doe',
      address: { address1: '1 Main St', city: 'Austin', state: 'TX', zip: '78701', country: 'United States' },
      paymentTerm: 'Due on Receipt',
      status: 'active',
    });
  });

  it.each<{ case: string; address: Partial<CanonicalAddress>; name: string }>([
    { case: 'a company', address: { company: 'Acme Ltd' }, name: 'Acme Ltd' },
    { case: 'a person only', address: {}, name: 'Jane Doe' },
    { case: 'no name, only an email', address: { firstName: '', lastName: '' }, name: 'jane@example.com' },
    { case: 'a company name longer than 100 characters', address: { company: 'A'.repeat(130) }, name: 'A'.repeat(100) },
  ])('when the billing address has $case, then the customer is named after it', ({ address, name }) => {
    expect(
      toIntacctCustomer(
        { customer: { kind: 'registered', customerId: '42', email: 'jane@example.com' }, billingAddress: { ...billing, ...address } },
        'BC-42',
      ).name,
    ).toBe(name);
  });

  it('when there is no default term, then the customer gets none (Intacct falls back to its own default)', () => {
    expect(toIntacctCustomer({ customer: { kind: 'registered', customerId: '42' }, billingAddress: billing }, 'BC-42')).not.toHaveProperty(
      'paymentTerm',
    );
  });
});
