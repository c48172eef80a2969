import { IntacctAlreadyRecordedError, type IntacctClient } from './client.js';
import { recordedButMissing } from './errors.js';
import { queryLiteral } from './formats.js';
import { createCustomer as createCustomerFunction, type CustomerInput } from './functions/create-customer.js';
import { readByName } from './functions/read-by-name.js';
import { collectByQuery } from './paging.js';
import { fieldText, type IntacctRecord } from './response-parser.js';

/** A customer as the product needs it. */
export interface IntacctCustomer {
  readonly recordNo: string;
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  readonly status: string;
  readonly paymentTerm: string;
}

const customerFields = ['RECORDNO', 'CUSTOMERID', 'NAME', 'STATUS', 'TERMNAME', 'DISPLAYCONTACT.EMAIL1'];

function toCustomer(record: IntacctRecord): IntacctCustomer {
  const contact = record.DISPLAYCONTACT;
  const email =
    fieldText(record, 'DISPLAYCONTACT.EMAIL1') ||
    (typeof contact === 'object' && !Array.isArray(contact) ? fieldText(contact, 'EMAIL1') : '');
  return {
    recordNo: fieldText(record, 'RECORDNO'),
    customerId: fieldText(record, 'CUSTOMERID'),
    name: fieldText(record, 'NAME'),
    email,
    status: fieldText(record, 'STATUS'),
    paymentTerm: fieldText(record, 'TERMNAME'),
  };
}

/**
 * Creates a customer exactly once: `controlId` must be stable across retries of the same
 * logical write. A replay answered "already recorded" resolves to the existing customer.
 */
export async function createCustomer(
  client: IntacctClient,
  input: CustomerInput & { readonly customerId: string },
  controlId: string,
): Promise<{ readonly customer: IntacctCustomer; readonly created: boolean }> {
  try {
    const result = await client.executeOne({ controlId, body: createCustomerFunction(input) }, { uniqueId: true });
    const record = result.data?.records[0];
    return {
      customer: {
        recordNo: record ? fieldText(record, 'RECORDNO') : '',
        customerId: input.customerId,
        name: input.name,
        email: input.email ?? '',
        status: input.status ?? 'active',
        paymentTerm: input.paymentTerm ?? '',
      },
      created: true,
    };
  } catch (error) {
    if (!(error instanceof IntacctAlreadyRecordedError)) throw error;
    const existing = await findCustomerById(client, input.customerId);
    if (!existing) throw recordedButMissing(controlId, 'create', `customer ${input.customerId} no longer exists`, error);
    return { customer: existing, created: false };
  }
}

/** The customer with this CUSTOMERID, or undefined. */
export async function findCustomerById(client: IntacctClient, customerId: string): Promise<IntacctCustomer | undefined> {
  const result = await client.executeOne({
    controlId: `customer-read:${customerId}`.slice(0, 256),
    body: readByName({ object: 'CUSTOMER', keys: [customerId], fields: customerFields }),
  });
  const record = result.data?.records.find((candidate) => fieldText(candidate, 'CUSTOMERID') === customerId);
  return record ? toCustomer(record) : undefined;
}

/**
 * Customers whose primary email matches exactly (readByQuery is case-sensitive, so callers
 * normalise emails before storing and searching).
 */
export async function findCustomersByEmail(client: IntacctClient, email: string): Promise<IntacctCustomer[]> {
  const records = await collectByQuery(client, {
    object: 'CUSTOMER',
    query: `DISPLAYCONTACT.EMAIL1 = ${queryLiteral(email)}`,
    fields: customerFields,
    pageSize: 100,
    controlIdPrefix: 'customer-by-email',
  });
  return records.map(toCustomer);
}

/** Customers by any field of CUSTOMER (a custom field holding the storefront id, for example). */
export async function findCustomersByField(client: IntacctClient, field: string, value: string): Promise<IntacctCustomer[]> {
  if (!/^[A-Z][A-Z0-9_.]*$/.test(field)) throw new RangeError(`Not a CUSTOMER field name: ${JSON.stringify(field)}`);
  const records = await collectByQuery(client, {
    object: 'CUSTOMER',
    query: `${field} = ${queryLiteral(value)}`,
    fields: customerFields,
    pageSize: 100,
    controlIdPrefix: 'customer-by-field',
  });
  return records.map(toCustomer);
}
