import { describe, expect, it } from 'vitest';
import type { CanonicalAddress, CanonicalOrder } from './canonical-order.js';
import {
  clip,
  countryNameOf,
  documentContactName,
  intacctContactLimits,
  toDocumentContact,
  toDocumentContacts,
  toMailAddress,
} from './document-contacts.js';

const jane: CanonicalAddress = {
  firstName: 'Jane',
  lastName: 'Doe',
  line1: '1 Main St',
  line2: 'Suite 4',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  email: 'Jane@Example.com',
  phone: '+1 512 555 0100',
};
const bigcommerceOrder = { storefront: 'bigcommerce', orderId: '100' } as const;

describe('documentContactName', () => {
  it.each<{
    case: string;
    address: Pick<CanonicalAddress, 'firstName' | 'lastName' | 'company'>;
    order: Pick<CanonicalOrder, 'storefront' | 'orderId'>;
    role: 'billTo' | 'shipTo';
    expected: string;
  }>([
    {
      case: 'a person billed on a BigCommerce order',
      address: { firstName: 'Jane', lastName: 'Doe' },
      order: bigcommerceOrder,
      role: 'billTo',
      expected: 'Jane Doe - BC 100 bill-to',
    },
    {
      case: 'a person shipped to',
      address: { firstName: 'Jane', lastName: 'Doe' },
      order: bigcommerceOrder,
      role: 'shipTo',
      expected: 'Jane Doe - BC 100 ship-to',
    },
    {
      case: 'a person on a Clarity order',
      address: { firstName: 'Sam', lastName: 'Lee' },
      order: { storefront: 'clarity', orderId: 'ORD-7f3a' },
      role: 'billTo',
      expected: 'Sam Lee - CL ORD-7f3a bill-to',
    },
    {
      case: 'only a company',
      address: { firstName: '', lastName: ' ', company: 'Acme Ltd' },
      order: bigcommerceOrder,
      role: 'billTo',
      expected: 'Acme Ltd - BC 100 bill-to',
    },
    {
      case: 'neither name nor company',
      address: { firstName: '', lastName: '' },
      order: bigcommerceOrder,
      role: 'billTo',
      expected: 'BC 100 bill-to',
    },
    {
      case: 'characters Intacct advises against',
      address: { firstName: 'Zoë-Ann', lastName: "O'Brien & Sons (HQ)" },
      order: bigcommerceOrder,
      role: 'billTo',
      expected: 'Zoë-Ann O Brien Sons HQ - BC 100 bill-to',
    },
  ])('when the address has $case, then the contact name is "$expected"', ({ address, order, role, expected }) => {
    expect(documentContactName(address, order, role)).toBe(expected);
  });

  it('when the name is longer than Intacct takes, then the name is cut and the order and role are kept', () => {
    const name = documentContactName({ firstName: 'A'.repeat(150), lastName: 'B'.repeat(150) }, bigcommerceOrder, 'shipTo');
    expect([...name].length).toBe(intacctContactLimits.contactName);
    expect(name.endsWith(' - BC 100 ship-to')).toBe(true);
  });

  it('when the same order is mapped twice, then the contact names are the same', () => {
    expect(documentContactName(jane, bigcommerceOrder, 'billTo')).toBe(documentContactName({ ...jane }, { ...bigcommerceOrder }, 'billTo'));
  });
});

describe('toMailAddress', () => {
  it.each<[string, CanonicalAddress, ReturnType<typeof toMailAddress>]>([
    [
      'a full US address',
      jane,
      {
        address1: '1 Main St',
        address2: 'Suite 4',
        city: 'Austin',
        state: 'TX',
        zip: '78701',
        country: 'United States',
        isoCountryCode: 'US',
      },
    ],
    [
      'no second line, region or postal code',
      { firstName: 'A', lastName: 'B', line1: '9 High St', city: 'Dublin', country: 'IE' },
      { address1: '9 High St', city: 'Dublin', country: 'Ireland', isoCountryCode: 'IE' },
    ],
    [
      'a country that is not an ISO code',
      { firstName: 'A', lastName: 'B', line1: '1 Rd', city: 'X', country: 'Atlantis' },
      { address1: '1 Rd', city: 'X', country: 'Atlantis' },
    ],
    [
      'an ISO-shaped code no country has',
      { firstName: 'A', lastName: 'B', line1: '1 Rd', city: 'X', country: 'QQ' },
      { address1: '1 Rd', city: 'X', country: 'QQ' },
    ],
  ])('when it is %s, then region becomes state and the ISO code also names the country', (_case, address, expected) => {
    expect(toMailAddress(address)).toEqual(expected);
  });
});

describe('toDocumentContact', () => {
  it('when the address has a person, email and phone, then the inline contact prints as the person with every field mapped', () => {
    expect(toDocumentContact(jane, bigcommerceOrder, 'billTo')).toEqual({
      contact: {
        contactName: 'Jane Doe - BC 100 bill-to',
        printAs: 'Jane Doe',
        firstName: 'Jane',
        lastName: 'Doe',
        phone1: '+1 512 555 0100',
        email1: 'jane@example.com',
        mailAddress: {
          address1: '1 Main St',
          address2: 'Suite 4',
          city: 'Austin',
          state: 'TX',
          zip: '78701',
          country: 'United States',
          isoCountryCode: 'US',
        },
      },
    });
  });

  it.each<[string, CanonicalAddress, { printAs: string; companyName?: string }]>([
    [
      'only a company',
      { firstName: '', lastName: '', company: 'Acme Ltd', line1: '1 Rd', city: 'X', country: 'US' },
      { printAs: 'Acme Ltd', companyName: 'Acme Ltd' },
    ],
    [
      'a person at a company',
      { firstName: 'Jane', lastName: 'Doe', company: 'Acme Ltd', line1: '1 Rd', city: 'X', country: 'US' },
      { printAs: 'Jane Doe', companyName: 'Acme Ltd' },
    ],
    ['no name at all', { firstName: '', lastName: '', line1: '1 Rd', city: 'X', country: 'US' }, { printAs: 'BC 100 bill-to' }],
  ])('when the address has %s, then it prints as the person, else the company, else its contact name', (_case, address, expected) => {
    expect(toDocumentContact(address, bigcommerceOrder, 'billTo')).toMatchObject({ contact: expected });
  });

  it('when fields are longer than Intacct takes, then each is cut to its limit', () => {
    const long = toDocumentContact(
      { ...jane, firstName: 'F'.repeat(60), company: 'C'.repeat(150), city: 'Y'.repeat(100), phone: '1'.repeat(40) },
      bigcommerceOrder,
      'billTo',
    );
    if (!('contact' in long)) throw new Error('expected an inline contact');
    expect(long.contact.firstName).toHaveLength(intacctContactLimits.firstName);
    expect(long.contact.companyName).toHaveLength(intacctContactLimits.companyName);
    expect(long.contact.mailAddress?.city).toHaveLength(intacctContactLimits.city);
    expect(long.contact.phone1).toHaveLength(intacctContactLimits.phone);
  });
});

describe('toDocumentContacts', () => {
  it.each<[string, CanonicalAddress | undefined, string[]]>([
    ['a shipping address', { ...jane, firstName: 'John', line1: '2 Oak Ave' }, ['billTo', 'shipTo']],
    ['no shipping address (nothing to ship)', undefined, ['billTo']],
  ])('when the order has %s, then it gets those contacts', (_case, shippingAddress, roles) => {
    const contacts = toDocumentContacts({ ...bigcommerceOrder, billingAddress: jane, ...(shippingAddress && { shippingAddress }) });
    expect(Object.keys(contacts)).toEqual(roles);
  });
});

describe('countryNameOf and clip', () => {
  it.each([
    ['US', 'United States'],
    ['GB', 'United Kingdom'],
    ['usa', undefined],
    ['QQ', undefined],
  ])('when the code is %s, then the country is %s', (code, name) => {
    expect(countryNameOf(code)).toBe(name);
  });

  it.each([
    ['short', 10, 'short'],
    ['exactly ten', 11, 'exactly ten'],
    ['cut at a space ', 14, 'cut at a space'],
    ['😀😀😀', 2, '😀😀'],
  ])('when "%s" is clipped to %i, then it is "%s"', (text, max, expected) => {
    expect(clip(text, max)).toBe(expected);
  });
});
