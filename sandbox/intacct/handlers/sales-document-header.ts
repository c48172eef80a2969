import { parseDecimal, roundTo, type Scaled } from '../decimal.js';
import type { Row } from '../store.js';
import { child, childText, childrenNamed, type XmlNode } from '../xml-tree.js';
import { checkDimensions, type FunctionContext } from './context.js';
import { flatten } from './generic-writes.js';

/* The parts of a sales document header: custom fields, due dates, subtotals and contacts. */

/** The custom fields of a document, by upper-case field name. */
export function customFieldsOf(node: XmlNode | undefined): Row {
  const row: Row = {};
  for (const field of childrenNamed(child(node, 'customfields'), 'customfield')) {
    const name = childText(field, 'customfieldname')?.trim().toUpperCase();
    if (name) row[name] = childText(field, 'customfieldvalue') ?? '';
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
