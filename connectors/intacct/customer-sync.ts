import type { IntacctClient } from './client.js';
import { queryLiteral } from './formats.js';
import { update, type ObjectFields } from './functions/create.js';
import { customerContactFields } from './functions/create-customer.js';
import { query, type QueryFilter } from './functions/query.js';
import { collectByQuery } from './paging.js';
import { fieldText, type IntacctRecord } from './response-parser.js';

/** A customer's mailing address as CUSTOMER's display contact holds it. */
export interface IntacctMailAddress {
  readonly address1: string;
  readonly address2: string;
  readonly city: string;
  readonly state: string;
  readonly zip: string;
  readonly country: string;
}

/** A customer as CustomerSync reads it: the fields either side may own, and when it last changed. */
export interface IntacctSyncCustomer {
  readonly customerId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly companyName: string;
  readonly phone: string;
  readonly email: string;
  readonly address: IntacctMailAddress;
  /** CUSTTYPE: the customer type a storefront customer group maps to. */
  readonly customerType: string;
  /** ONHOLD: the books stopped extending credit. */
  readonly onHold: boolean;
  /** PRICELIST: the order-entry price list the customer buys at. */
  readonly priceList: string;
  /** TERMNAME. */
  readonly terms: string;
  /** WHENMODIFIED, `MM/DD/YYYY HH:MM:SS`. */
  readonly modifiedAt: string;
}

/** What CustomerSync changes on an Intacct customer; absent fields stay as they are. */
export interface IntacctCustomerUpdate {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly companyName?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly address?: IntacctMailAddress;
  readonly customerType?: string;
}

const syncFields = [
  'RECORDNO',
  'CUSTOMERID',
  'DISPLAYCONTACT.FIRSTNAME',
  'DISPLAYCONTACT.LASTNAME',
  'DISPLAYCONTACT.COMPANYNAME',
  'DISPLAYCONTACT.PHONE1',
  'DISPLAYCONTACT.EMAIL1',
  'DISPLAYCONTACT.MAILADDRESS.ADDRESS1',
  'DISPLAYCONTACT.MAILADDRESS.ADDRESS2',
  'DISPLAYCONTACT.MAILADDRESS.CITY',
  'DISPLAYCONTACT.MAILADDRESS.STATE',
  'DISPLAYCONTACT.MAILADDRESS.ZIP',
  'DISPLAYCONTACT.MAILADDRESS.COUNTRY',
  'CUSTTYPE',
  'ONHOLD',
  'PRICELIST',
  'TERMNAME',
  'WHENMODIFIED',
];

/** A field by its dotted name: the gateway nests dotted fields (`<DISPLAYCONTACT><EMAIL1>`), though some answers keep them flat. */
function dottedText(record: IntacctRecord, field: string): string {
  const flat = fieldText(record, field);
  if (flat !== '') return flat;
  let node: unknown = record;
  for (const part of field.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return '';
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : '';
}

function toSyncCustomer(record: IntacctRecord): IntacctSyncCustomer {
  const text = (field: string) => dottedText(record, field);
  return {
    customerId: text('CUSTOMERID'),
    firstName: text('DISPLAYCONTACT.FIRSTNAME'),
    lastName: text('DISPLAYCONTACT.LASTNAME'),
    companyName: text('DISPLAYCONTACT.COMPANYNAME'),
    phone: text('DISPLAYCONTACT.PHONE1'),
    email: text('DISPLAYCONTACT.EMAIL1'),
    address: {
      address1: text('DISPLAYCONTACT.MAILADDRESS.ADDRESS1'),
      address2: text('DISPLAYCONTACT.MAILADDRESS.ADDRESS2'),
      city: text('DISPLAYCONTACT.MAILADDRESS.CITY'),
      state: text('DISPLAYCONTACT.MAILADDRESS.STATE'),
      zip: text('DISPLAYCONTACT.MAILADDRESS.ZIP'),
      country: text('DISPLAYCONTACT.MAILADDRESS.COUNTRY'),
    },
    customerType: text('CUSTTYPE'),
    onHold: text('ONHOLD') === 'true',
    priceList: text('PRICELIST'),
    terms: text('TERMNAME'),
    modifiedAt: text('WHENMODIFIED'),
  };
}

/** The customer with this CUSTOMERID as CustomerSync reads it (one `query` transaction), or undefined. */
export async function readSyncCustomer(
  client: IntacctClient,
  customerId: string,
  controlId: string,
): Promise<IntacctSyncCustomer | undefined> {
  const result = await client.executeOne({
    controlId,
    body: query({
      object: 'CUSTOMER',
      select: syncFields,
      filter: { field: 'CUSTOMERID', operator: 'equalto', value: customerId },
      pageSize: 1,
    }),
  });
  const record = result.data?.records[0];
  return record === undefined ? undefined : toSyncCustomer(record);
}

/** One page of changed customers from {@link readChangedCustomersPage}. */
export interface ChangedCustomersPage {
  readonly customers: readonly IntacctSyncCustomer[];
  /** The next page starts after this customer id; absent on the last page. */
  readonly nextAfterCustomerId?: string;
}

/**
 * One page of customers modified at or after `modifiedSince` (all when absent), by keyset on
 * CUSTOMERID: one `query`, one API transaction; the same shape as the item sync's pages, so a
 * run resumes from its checkpoint alone.
 */
export async function readChangedCustomersPage(
  client: IntacctClient,
  options: {
    readonly modifiedSince?: string | undefined;
    readonly afterCustomerId?: string | undefined;
    readonly pageSize?: number;
    readonly controlId: string;
  },
): Promise<ChangedCustomersPage> {
  const conditions: QueryFilter[] = [
    ...(options.modifiedSince !== undefined
      ? [{ field: 'WHENMODIFIED', operator: 'greaterthanorequalto' as const, value: options.modifiedSince }]
      : []),
    ...(options.afterCustomerId !== undefined
      ? [{ field: 'CUSTOMERID', operator: 'greaterthan' as const, value: options.afterCustomerId }]
      : []),
  ];
  const filter: QueryFilter | undefined = conditions.length > 1 ? { and: conditions } : conditions[0];
  const result = await client.executeOne({
    controlId: options.controlId,
    body: query({
      object: 'CUSTOMER',
      select: syncFields,
      ...(filter !== undefined && { filter }),
      orderBy: [{ field: 'CUSTOMERID' }],
      pageSize: options.pageSize ?? 200,
    }),
  });
  const customers = (result.data?.records ?? []).map(toSyncCustomer);
  const remaining = result.data?.numremaining ?? 0;
  const last = customers.at(-1);
  return remaining > 0 && last !== undefined ? { customers, nextAfterCustomerId: last.customerId } : { customers };
}

/** CUSTOMER fields of an update, in the order the SDKs write them; absent values are not sent. */
export function customerUpdateFields(customerId: string, changes: IntacctCustomerUpdate): ObjectFields {
  const contact = customerContactFields(changes);
  return [
    ['CUSTOMERID', customerId],
    ['DISPLAYCONTACT', contact.some(([, value]) => value !== undefined) ? contact : undefined],
    ['CUSTTYPE', changes.customerType],
  ];
}

/**
 * Updates the customer's fields given (generic `update`, one transaction). Absolute values, so a
 * retry after a lost answer writes the same again.
 */
export async function updateCustomer(
  client: IntacctClient,
  customerId: string,
  changes: IntacctCustomerUpdate,
  controlId: string,
): Promise<void> {
  await client.executeOne({ controlId, body: update([{ object: 'CUSTOMER', fields: customerUpdateFields(customerId, changes) }]) });
}

/**
 * The customer's open receivables: the sum of TOTALDUE over its AR invoices, as Intacct's
 * decimal text, and how many still owe something. One `readByQuery` per 100 invoices.
 */
export async function readOpenReceivables(
  client: IntacctClient,
  customerId: string,
): Promise<{ readonly totalDue: string; readonly invoices: number }> {
  const records = await collectByQuery(client, {
    object: 'ARINVOICE',
    query: `CUSTOMERID = ${queryLiteral(customerId)}`,
    fields: ['RECORDNO', 'TOTALDUE'],
    pageSize: 100,
    controlIdPrefix: 'customer-open-ar',
  });
  let cents = 0n;
  let invoices = 0;
  for (const record of records) {
    const [whole = '0', fraction = ''] = fieldText(record, 'TOTALDUE').split('.');
    const negative = whole.startsWith('-');
    const value = BigInt(whole.replace('-', '') || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
    if (value === 0n) continue;
    invoices += 1;
    cents += negative ? -value : value;
  }
  const sign = cents < 0n ? '-' : '';
  const absolute = cents < 0n ? -cents : cents;
  return { totalDue: `${sign}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`, invoices };
}
