import { create, type ObjectFields } from './create.js';
import type { XmlElement } from '../xml-writer.js';

/** A new customer (generic `create` of CUSTOMER). */
export interface CustomerInput {
  /** Left out when the company numbers customers itself. */
  readonly customerId?: string;
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly companyName?: string;
  readonly address?: {
    readonly address1?: string;
    readonly address2?: string;
    readonly city?: string;
    readonly state?: string;
    readonly zip?: string;
    readonly country?: string;
  };
  readonly paymentTerm?: string;
  readonly currency?: string;
  readonly status?: 'active' | 'inactive';
  /** Custom fields by their field id, e.g. `STOREFRONT_CUSTOMER_ID`. */
  readonly customFields?: Readonly<Record<string, string>>;
}

/** A customer's display contact as CUSTOMER's DISPLAYCONTACT holds it; absent values are not sent. */
export interface CustomerContactInput {
  /** PRINTAS: the name documents print; only a new customer sets it. */
  readonly printAs?: string | undefined;
  readonly companyName?: string | undefined;
  readonly firstName?: string | undefined;
  readonly lastName?: string | undefined;
  readonly phone?: string | undefined;
  readonly email?: string | undefined;
  readonly address?: CustomerInput['address'] | undefined;
}

/** DISPLAYCONTACT fields in the order the SDKs write them, shared by a customer's create and update. */
export function customerContactFields(contact: CustomerContactInput): ObjectFields {
  const address = contact.address;
  return [
    ['PRINTAS', contact.printAs],
    ['COMPANYNAME', contact.companyName],
    ['FIRSTNAME', contact.firstName],
    ['LASTNAME', contact.lastName],
    ['PHONE1', contact.phone],
    ['EMAIL1', contact.email],
    [
      'MAILADDRESS',
      address === undefined
        ? undefined
        : [
            ['ADDRESS1', address.address1],
            ['ADDRESS2', address.address2],
            ['CITY', address.city],
            ['STATE', address.state],
            ['ZIP', address.zip],
            ['COUNTRY', address.country],
          ],
    ],
  ];
}

/** CUSTOMER record fields in the order the SDKs write them. */
export function customerFields(input: CustomerInput): ObjectFields {
  return [
    ['CUSTOMERID', input.customerId],
    ['NAME', input.name],
    ['DISPLAYCONTACT', customerContactFields({ ...input, printAs: input.name })],
    ['STATUS', input.status],
    ['TERMNAME', input.paymentTerm],
    ['CURRENCY', input.currency],
    ...Object.entries(input.customFields ?? {}),
  ];
}

/** Generic `create` of one CUSTOMER; the result's data holds RECORDNO and CUSTOMERID. */
export function createCustomer(input: CustomerInput): XmlElement {
  return create([{ object: 'CUSTOMER', fields: customerFields(input) }]);
}
