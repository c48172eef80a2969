import type { IntacctClient } from './client.js';
import { collectByQuery } from './paging.js';
import { fieldText, type IntacctRecord } from './response-parser.js';

/**
 * The Intacct records the mapping assistant suggests from, besides items: active customers
 * with their display contact, GL and bank accounts, dimension values and shipping methods.
 * Read whole (pages of 1,000) per request: these lists are small next to an item catalogue.
 */

/** A dotted field (`DISPLAYCONTACT.MAILADDRESS.CITY`) whether Intacct answers it flat or nested. */
function dottedText(record: IntacctRecord, path: string): string {
  const flat = fieldText(record, path);
  if (flat !== '') return flat;
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return '';
    current = (current as Record<string, unknown>)[part];
  }
  return typeof current === 'string' ? current : '';
}

const present = (value: string) => (value.trim() === '' ? undefined : value.trim());
/** Everything in pages of 1,000; inactive records are dropped here, as the item catalogue does (they cannot be posted to). */
const everything = { query: '', pageSize: 1000 } as const;
const isActive = (record: IntacctRecord) => fieldText(record, 'STATUS').trim().toLowerCase() === 'active';

async function collectActive(
  client: IntacctClient,
  object: string,
  fields: readonly string[],
  controlIdPrefix: string,
): Promise<IntacctRecord[]> {
  return (await collectByQuery(client, { object, fields: [...fields, 'STATUS'], controlIdPrefix, ...everything })).filter(isActive);
}

/** An Intacct customer as suggestions read it. */
export interface IntacctSuggestionCustomer {
  customerId: string;
  name: string;
  email?: string | undefined;
  company?: string | undefined;
  address?: { line1?: string | undefined; city?: string | undefined; postalCode?: string | undefined; country?: string | undefined };
}

const customerFields = [
  'CUSTOMERID',
  'NAME',
  'DISPLAYCONTACT.EMAIL1',
  'DISPLAYCONTACT.COMPANYNAME',
  'DISPLAYCONTACT.MAILADDRESS.ADDRESS1',
  'DISPLAYCONTACT.MAILADDRESS.CITY',
  'DISPLAYCONTACT.MAILADDRESS.ZIP',
  'DISPLAYCONTACT.MAILADDRESS.COUNTRYCODE',
];

/** The company's active customers with email, company and mailing address. */
export async function readSuggestionCustomers(client: IntacctClient): Promise<IntacctSuggestionCustomer[]> {
  const records = await collectActive(client, 'CUSTOMER', customerFields, 'suggest-customers');
  return records.map((record) => {
    const line1 = present(dottedText(record, 'DISPLAYCONTACT.MAILADDRESS.ADDRESS1'));
    return {
      customerId: fieldText(record, 'CUSTOMERID'),
      name: fieldText(record, 'NAME'),
      email: present(dottedText(record, 'DISPLAYCONTACT.EMAIL1')),
      company: present(dottedText(record, 'DISPLAYCONTACT.COMPANYNAME')),
      ...(line1 !== undefined && {
        address: {
          line1,
          city: present(dottedText(record, 'DISPLAYCONTACT.MAILADDRESS.CITY')),
          postalCode: present(dottedText(record, 'DISPLAYCONTACT.MAILADDRESS.ZIP')),
          country: present(dottedText(record, 'DISPLAYCONTACT.MAILADDRESS.COUNTRYCODE')),
        },
      }),
    };
  });
}

/** The company's active GL accounts (number and title) and bank (checking) accounts. */
export async function readSuggestionAccounts(client: IntacctClient): Promise<{
  glAccounts: Array<{ accountNo: string; title: string }>;
  bankAccounts: Array<{ bankAccountId: string; name: string }>;
}> {
  const [gl, banks] = await Promise.all([
    collectActive(client, 'GLACCOUNT', ['ACCOUNTNO', 'TITLE'], 'suggest-gl-accounts'),
    collectActive(client, 'CHECKINGACCOUNT', ['BANKACCOUNTID', 'BANKNAME'], 'suggest-bank-accounts'),
  ]);
  return {
    glAccounts: gl.map((record) => ({ accountNo: fieldText(record, 'ACCOUNTNO'), title: fieldText(record, 'TITLE') })),
    bankAccounts: banks.map((record) => ({ bankAccountId: fieldText(record, 'BANKACCOUNTID'), name: fieldText(record, 'BANKNAME') })),
  };
}

/** Each dimension's object, id field and name field. */
const dimensionObjects = {
  department: { object: 'DEPARTMENT', id: 'DEPARTMENTID', name: 'TITLE' },
  location: { object: 'LOCATION', id: 'LOCATIONID', name: 'NAME' },
  project: { object: 'PROJECT', id: 'PROJECTID', name: 'NAME' },
  class: { object: 'CLASS', id: 'CLASSID', name: 'NAME' },
} as const;

/** The active values of one or every standard dimension. */
export async function readSuggestionDimensionValues(
  client: IntacctClient,
  only?: keyof typeof dimensionObjects,
): Promise<Array<{ dimension: keyof typeof dimensionObjects; id: string; name: string }>> {
  const dimensions = only === undefined ? (Object.keys(dimensionObjects) as Array<keyof typeof dimensionObjects>) : [only];
  const read = await Promise.all(
    dimensions.map(async (dimension) => {
      const { object, id, name } = dimensionObjects[dimension];
      const records = await collectActive(client, object, [id, name], `suggest-${dimension}`);
      return records.map((record) => ({ dimension, id: fieldText(record, id), name: fieldText(record, name) }));
    }),
  );
  return read.flat();
}

/** The names of the company's active shipping methods (SHIPMETHOD). */
export async function readSuggestionShippingMethods(client: IntacctClient): Promise<string[]> {
  const records = await collectActive(client, 'SHIPMETHOD', ['NAME'], 'suggest-ship-methods');
  return records.map((record) => fieldText(record, 'NAME')).filter((name) => name !== '');
}
