import { describe, expect, it } from 'vitest';
import type { IntacctSyncCustomer } from '../connectors/intacct/customer-sync.js';
import { parseTenantSettings, type CatalogSettings } from '../store/schemas/settings.js';
import {
  fromBigCommerceCustomer,
  fromClarityCustomer,
  intacctCustomerStamp,
  isOwnStorefrontEcho,
  storefrontCustomerStamp,
  toIntacctCustomerChanges,
  toStorefrontCustomerChanges,
  withIntacctChanges,
  type CustomerSyncRules,
  type IntacctCustomerDecision,
  type StorefrontCustomerDecision,
  type StorefrontCustomerState,
} from './customer-sync.js';

const defaults: CatalogSettings['customers'] = (() => {
  const parsed = parseTenantSettings({
    connection: { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } },
    orderSync: { triggerStatuses: ['11'] },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings.catalog.customers;
})();

const rules = (
  overrides: { fields?: Partial<CustomerSyncRules['fields']>; groups?: Partial<CustomerSyncRules['groups']> } = {},
): CustomerSyncRules => ({
  fields: { ...defaults.fields, ...overrides.fields },
  groups: { ...defaults.groups, creditHold: '3', priceLists: { Wholesale: '2' }, customerTypes: { '2': 'Trade' }, ...overrides.groups },
});

const intacct = (overrides: Partial<IntacctSyncCustomer> = {}): IntacctSyncCustomer => ({
  customerId: 'C-1001',
  firstName: 'Jane',
  lastName: 'Doe',
  companyName: 'Acme Outfitters',
  phone: '512-555-0100',
  email: 'jane@acme.example',
  address: { address1: '100 Congress Ave', address2: '', city: 'Austin', state: 'TX', zip: '78701', country: 'United States' },
  customerType: '',
  onHold: false,
  priceList: '',
  terms: 'Net 30',
  modifiedAt: '12/07/2026 09:00:00',
  ...overrides,
});

const store = (overrides: Partial<StorefrontCustomerState> = {}): StorefrontCustomerState => ({
  customerId: '1',
  email: 'jane@acme.example',
  firstName: 'Jane',
  lastName: 'Doe',
  company: 'Acme Outfitters',
  phone: '512-555-0100',
  groupId: '',
  address: {
    address1: '100 Congress Ave',
    address2: '',
    city: 'Austin',
    state: 'TX',
    postalCode: '78701',
    countryCode: 'US',
    country: 'United States',
  },
  modifiedAt: '2026-12-07T10:00:00.000Z',
  ...overrides,
});

const moved = {
  address1: '200 Lavaca St',
  address2: 'Suite 4',
  city: 'Austin',
  state: 'TX',
  postalCode: '78702',
  countryCode: 'US',
  country: 'United States',
};

describe('toIntacctCustomerChanges: a storefront change → the linked Intacct customer', () => {
  const cases: Array<[string, StorefrontCustomerState, IntacctSyncCustomer, CustomerSyncRules, IntacctCustomerDecision]> = [
    ['when nothing differs, then nothing is written', store(), intacct(), rules(), { kind: 'unchanged' }],
    [
      'when the store moved the address later than Intacct changed, then the whole mailing address is written',
      store({ address: moved }),
      intacct(),
      rules(),
      {
        kind: 'update',
        changes: {
          address: { address1: '200 Lavaca St', address2: 'Suite 4', city: 'Austin', state: 'TX', zip: '78702', country: 'United States' },
        },
        fields: ['addresses'],
      },
    ],
    [
      'when Intacct changed later than the store (last change wins), then the store’s older address is not written',
      store({ address: moved, modifiedAt: '2026-12-07T08:00:00.000Z' }),
      intacct(),
      rules(),
      { kind: 'unchanged' },
    ],
    [
      'when addresses belong to Intacct, then the store’s address is never written',
      store({ address: moved }),
      intacct(),
      rules({ fields: { addresses: 'intacct' } }),
      { kind: 'unchanged' },
    ],
    [
      'when the contact and email changed in the store, then only the differing contact fields and the lower-case email are written',
      store({ lastName: 'Doe-Smith', phone: '512-555-0199', email: 'Jane.Smith@Acme.example' }),
      intacct(),
      rules(),
      {
        kind: 'update',
        changes: { lastName: 'Doe-Smith', phone: '512-555-0199', email: 'jane.smith@acme.example' },
        fields: ['contact', 'email'],
      },
    ],
    [
      'when the store blanked the phone, then Intacct keeps its own (an empty value never erases)',
      store({ phone: '' }),
      intacct(),
      rules(),
      { kind: 'unchanged' },
    ],
    [
      'when the customer joined a group mapped to a customer type, then the type is written',
      store({ groupId: '2' }),
      intacct(),
      rules(),
      { kind: 'update', changes: { customerType: 'Trade' }, fields: ['customerGroup'] },
    ],
    ['when the group is not mapped, then the customer type stays', store({ groupId: '1' }), intacct(), rules(), { kind: 'unchanged' }],
    [
      'when a field is set to "none", then it never flows',
      store({ email: 'other@acme.example' }),
      intacct(),
      rules({ fields: { email: 'none' } }),
      { kind: 'unchanged' },
    ],
  ];
  it.each(cases)('%s', (_name, storefront, books, given, expected) => {
    expect(toIntacctCustomerChanges(storefront, books, given)).toEqual(expected);
  });

  it('when the webhook is later than the store’s date_modified (an address event), then its time decides the last change', () => {
    const older = store({ address: moved, modifiedAt: '2026-12-07T08:00:00.000Z' });
    expect(toIntacctCustomerChanges(older, intacct(), rules(), '2026-12-07T09:30:00.000Z').kind).toBe('update');
  });
});

describe('toStorefrontCustomerChanges: an Intacct change → the storefront customer', () => {
  const later = '12/07/2026 11:00:00';
  const cases: Array<[string, IntacctSyncCustomer, StorefrontCustomerState, CustomerSyncRules, StorefrontCustomerDecision]> = [
    ['when nothing differs, then nothing is written', intacct(), store(), rules(), { kind: 'unchanged' }],
    [
      'when Intacct put the customer on credit hold, then it moves to the hold group',
      intacct({ onHold: true, modifiedAt: later }),
      store(),
      rules(),
      { kind: 'update', change: { customerId: '1', groupId: '3' }, fields: ['creditHold'] },
    ],
    [
      'when the customer is already in the hold group, then nothing is written',
      intacct({ onHold: true, modifiedAt: later }),
      store({ groupId: '3' }),
      rules(),
      { kind: 'unchanged' },
    ],
    [
      'when the hold is released and the price list maps to a group, then the customer moves to that group',
      intacct({ priceList: 'Wholesale', modifiedAt: later }),
      store({ groupId: '3' }),
      rules(),
      { kind: 'update', change: { customerId: '1', groupId: '2' }, fields: ['creditHold'] },
    ],
    [
      'when the hold is released and no price list maps, then the customer leaves the hold group for none',
      intacct({ modifiedAt: later }),
      store({ groupId: '3' }),
      rules(),
      { kind: 'update', change: { customerId: '1', groupId: '' }, fields: ['creditHold'] },
    ],
    [
      'when no hold group is set, then credit hold does not reach the store',
      intacct({ onHold: true, modifiedAt: later }),
      store(),
      rules({ groups: { creditHold: undefined } }),
      { kind: 'unchanged' },
    ],
    [
      'when the price list maps to a group, then a customer not on hold moves to it',
      intacct({ priceList: 'Wholesale', modifiedAt: later }),
      store(),
      rules(),
      { kind: 'update', change: { customerId: '1', groupId: '2' }, fields: ['priceGroup'] },
    ],
    [
      'when Intacct changed the contact later, then the store gets it; an empty Intacct value is not carried',
      intacct({ phone: '512-555-0123', firstName: '', modifiedAt: later }),
      store(),
      rules(),
      { kind: 'update', change: { customerId: '1', phone: '512-555-0123' }, fields: ['contact'] },
    ],
    [
      'when the store changed later than Intacct, then Intacct’s contact is not carried',
      intacct({ phone: '512-555-0123' }),
      store(),
      rules(),
      { kind: 'unchanged' },
    ],
  ];
  it.each(cases)('%s', (_name, books, storefront, given, expected) => {
    expect(toStorefrontCustomerChanges(books, storefront, given)).toEqual(expected);
  });
});

describe('own writes are recognised, so nothing echoes', () => {
  it('when the product wrote an Intacct customer, then the record it left has the stamp recorded for it; a later hold changes the stamp', () => {
    const written = withIntacctChanges(intacct(), {
      address: { address1: '200 Lavaca St', address2: '', city: 'Austin', state: 'TX', zip: '78702', country: 'United States' },
    });
    const stamp = intacctCustomerStamp(written);
    expect(intacctCustomerStamp({ ...written, modifiedAt: '12/07/2026 12:00:00' })).toBe(stamp);
    expect(intacctCustomerStamp({ ...written, onHold: true })).not.toBe(stamp);
    expect(stamp).not.toContain('Lavaca');
  });

  const stamp = storefrontCustomerStamp(store({ groupId: '3' }));
  const cases: Array<[string, string[], StorefrontCustomerState, string | undefined, boolean]> = [
    [
      'when every event is a record update and the customer is as the product left it, then it is an echo',
      ['store/customer/updated', 'store/customer/updated'],
      store({ groupId: '3' }),
      stamp,
      true,
    ],
    [
      'when an address event is among them, then it is the shopper’s change',
      ['store/customer/updated', 'store/customer/address/updated'],
      store({ groupId: '3' }),
      stamp,
      false,
    ],
    [
      'when the customer changed since, then it is not an echo',
      ['store/customer/updated'],
      store({ groupId: '3', phone: '1' }),
      stamp,
      false,
    ],
    ['when the product never wrote the customer, then it is not an echo', ['store/customer/updated'], store(), undefined, false],
  ];
  it.each(cases)('%s', (_name, topics, customer, own, expected) => {
    expect(isOwnStorefrontEcho(topics, customer, own)).toBe(expected);
  });
});

describe('fromBigCommerceCustomer', () => {
  it('when the customer has a group and addresses, then the first address and the group id are kept; group 0 is none', () => {
    const customer = {
      id: 7,
      email: 'a@b.example',
      first_name: 'A',
      last_name: 'B',
      company: 'C',
      phone: '1',
      customer_group_id: 2,
      date_created: '2026-01-01T00:00:00Z',
      date_modified: '2026-01-02T00:00:00Z',
      addresses: [
        {
          id: 9,
          customer_id: 7,
          first_name: 'A',
          last_name: 'B',
          address1: '1 St',
          city: 'X',
          state_or_province: 'TX',
          postal_code: '1',
          country_code: 'US',
        },
      ],
    };
    expect(fromBigCommerceCustomer(customer)).toEqual({
      customerId: '7',
      email: 'a@b.example',
      firstName: 'A',
      lastName: 'B',
      company: 'C',
      phone: '1',
      groupId: '2',
      address: { address1: '1 St', address2: '', city: 'X', state: 'TX', postalCode: '1', countryCode: 'US', country: '' },
      modifiedAt: '2026-01-02T00:00:00Z',
    });
    expect(fromBigCommerceCustomer({ ...customer, customer_group_id: 0, addresses: [] })).toMatchObject({ groupId: '' });
    expect(fromBigCommerceCustomer({ ...customer, addresses: [] })).not.toHaveProperty('address');
  });
});

describe('fromClarityCustomer', () => {
  const customer = {
    customerId: 'CU-2001',
    email: 'jane.doe@example.com',
    firstName: 'Jane',
    lastName: 'Doe',
    company: null,
    phone: null,
    addresses: [
      {
        firstName: 'Jane',
        lastName: 'Doe',
        company: null,
        line1: '555 East St',
        line2: null,
        city: 'Austin',
        region: 'TX',
        postalCode: '78701',
        country: 'US',
        phone: null,
        email: null,
      },
    ],
    createdAt: '2026-03-14T10:12:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
  };

  it('when the customer has addresses, then the first is kept, with the ISO country code and no country name; nulls become empty', () => {
    expect(fromClarityCustomer(customer)).toEqual({
      customerId: 'CU-2001',
      email: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      company: '',
      phone: '',
      groupId: '',
      address: { address1: '555 East St', address2: '', city: 'Austin', state: 'TX', postalCode: '78701', countryCode: 'US', country: '' },
      modifiedAt: '2026-12-01T09:00:00.000Z',
    });
  });

  it('when the customer has no address, then none is carried (an address never blanks Intacct’s)', () => {
    expect(fromClarityCustomer({ ...customer, addresses: [] })).not.toHaveProperty('address');
  });

  it('when a Clarity address moves, then Intacct gets the mailing address with the country named; a Clarity customer never changes the customer type', () => {
    const shopper = fromClarityCustomer({
      ...customer,
      addresses: [{ ...customer.addresses[0]!, line1: '200 Lavaca St', postalCode: '78702' }],
    });
    const decision = toIntacctCustomerChanges(
      shopper,
      intacct({ modifiedAt: '11/01/2026 00:00:00' }),
      rules({ groups: { customerTypes: { '': 'Retail' } } }),
    );
    expect(decision).toMatchObject({
      kind: 'update',
      changes: { address: { address1: '200 Lavaca St', zip: '78702', country: 'United States' } },
    });
    expect(decision.kind === 'update' && decision.fields).not.toContain('customerGroup');
  });
});
