import { parseDecimal, roundTo, type Scaled } from '../decimal.js';
import type { Row } from '../store.js';
import { child, childText, childrenNamed, type XmlNode } from '../xml-tree.js';
import { demoUserDefinedDimensions, type CustomFieldDefinition } from '../custom-fields.js';
import { customFieldsOfSeed } from '../seed.js';
import { checkDimensions, checkUnmodelledDimensions, requireActive, type FunctionContext } from './context.js';
import { flatten } from './generic-writes.js';

/* The parts of a sales document header: custom fields, due dates, subtotals and contacts. */

/**
 * The custom fields of a sales document (SODOCUMENT) or line (SODOCUMENTENTRY), by upper-case
 * field name. Like the gateway, refuses a field the object does not define, and a user-defined
 * dimension's field whose value is not an active record of that dimension.
 */
export function customFieldsOf(node: XmlNode | undefined, object: CustomFieldDefinition['object'], context: FunctionContext): Row {
  const row: Row = {};
  const defined = customFieldsOfSeed(context.seed).filter((field) => field.object === object);
  for (const field of childrenNamed(child(node, 'customfields'), 'customfield')) {
    const name = childText(field, 'customfieldname')?.trim().toUpperCase();
    if (!name) continue;
    const definition = defined.find((candidate) => candidate.name === name);
    if (definition === undefined)
      throw context.errors.fail(
        'unknownCustomField',
        `The custom field ${name} is not defined for ${object === 'SODOCUMENT' ? 'the sales transaction' : 'the sales transaction line'}.`,
        'Define the custom field in Intacct (Customization Services) or remove it from the request.',
      );
    const value = childText(field, 'customfieldvalue') ?? '';
    if (definition.dimension !== undefined && value !== '') {
      const label = demoUserDefinedDimensions.find((dimension) => dimension.object === definition.dimension)?.label ?? definition.dimension;
      const record = context.store.getById(definition.dimension, value);
      if (!record || record.STATUS === 'inactive') throw context.errors.invalidReference(label, value);
    }
    row[name] = value;
  }
  return row;
}

/** An ISO date so many days later. */
export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The sum of a document's header subtotals (a discount, a charge), each checked. */
export function subtotalsOf(node: XmlNode | undefined, context: FunctionContext): Scaled {
  let sum = 0n;
  for (const subtotal of childrenNamed(node, 'subtotal')) {
    const raw = childText(subtotal, 'total') ?? '';
    const amount = parseDecimal(raw);
    if (amount === undefined)
      throw context.errors.fail('validation', `Subtotal ${childText(subtotal, 'description') ?? ''}: ${raw} is not a valid amount.`);
    checkDimensions(subtotal, context, { location: 'locationid', department: 'departmentid', project: 'projectid', class: 'classid' });
    const customer = childText(subtotal, 'customerid');
    if (customer !== undefined) requireActive(context, 'CUSTOMER', 'Customer', customer);
    checkUnmodelledDimensions(subtotal, context);
    sum += roundTo(amount, 2);
  }
  return sum;
}

/** Longest contact name Intacct takes (CONTACT.CONTACTNAME, its unique key). */
const maxContactNameLength = 200;

/**
 * Bill-to or ship-to as the document keeps it. An existing contact is named by `contactname`;
 * an inline `contact` is created with the document, so its fields read back under the prefix
 * (`BILLTO.PRINTAS`, `SHIPTO.MAILADDRESS.CITY`) the way SODOCUMENT nests its contacts. Like the
 * gateway, an inline contact needs a contact name of at most 200 characters and a print-as name.
 */
export function documentContactFields(prefix: 'BILLTO' | 'SHIPTO', node: XmlNode | undefined, context: FunctionContext): Row {
  const inline = child(node, 'contact');
  if (inline === undefined) return { [`${prefix}.CONTACTNAME`]: childText(node, 'contactname') ?? '' };
  const role = prefix === 'BILLTO' ? 'bill to' : 'ship to';
  const name = (childText(inline, 'contactname') ?? '').trim();
  if (name === '') throw context.errors.fail('validation', `The ${role} contact has no contact name.`, 'Provide contactname.');
  if ([...name].length > maxContactNameLength)
    throw context.errors.fail(
      'validation',
      `The ${role} contact name is longer than ${maxContactNameLength} characters.`,
      'Shorten contactname.',
    );
  if ((childText(inline, 'printas') ?? '').trim() === '')
    throw context.errors.fail('validation', `The ${role} contact ${name} has no print as name.`, 'Provide printas.');
  return Object.fromEntries(Object.entries(flatten(inline)).map(([field, value]) => [`${prefix}.${field.toUpperCase()}`, value]));
}
