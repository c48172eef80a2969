import { FunctionFailure, type SandboxError } from '../error-catalogue.js';
import { objectDefinitions, type Row } from '../store.js';
import type { XmlNode } from '../xml-tree.js';
import { el, type OutElement } from '../xml-output.js';
import { requireActive, toUsTimestamp, type FunctionContext, type FunctionHandler } from './context.js';
import { createJournalEntry } from './general-ledger.js';
import { createCreditApplication } from './receivable-applications.js';

/** Most records one generic create/update may carry. */
export const maxRecordsPerWrite = 100;

/** Flattens a record element into dotted fields (`DISPLAYCONTACT.MAILADDRESS.CITY`). */
export function flatten(node: XmlNode, prefix = ''): Row {
  const row: Row = {};
  for (const childNode of node.children) {
    const name = `${prefix}${childNode.name}`;
    if (childNode.children.length === 0) row[name] = childNode.text;
    else Object.assign(row, flatten(childNode, `${name}.`));
  }
  return row;
}

/** Objects the sandbox creates through generic `create`, with their checks. */
const creators: Readonly<Record<string, (record: XmlNode, context: FunctionContext) => Row>> = {
  CUSTOMER: (record, context) => {
    const row = flatten(record);
    if (!row.NAME?.trim())
      throw context.errors.fail('validation', 'Required field NAME is missing for Customer.', 'Provide a customer name.');
    if (row.TERMNAME !== undefined && row.TERMNAME !== '') requireActive(context, 'ARTERM', 'Term', row.TERMNAME);
    if (row.STATUS !== undefined && !['active', 'inactive'].includes(row.STATUS))
      throw context.errors.fail('validation', `Invalid STATUS ${row.STATUS}`, 'Use active or inactive.');
    const customerId = row.CUSTOMERID?.trim() ? row.CUSTOMERID : `C-${String(context.store.nextSequence('CUSTOMER')).padStart(5, '0')}`;
    return {
      ...row,
      CUSTOMERID: customerId,
      STATUS: row.STATUS ?? 'active',
      'DISPLAYCONTACT.PRINTAS': row['DISPLAYCONTACT.PRINTAS'] ?? row.NAME,
    };
  },
  ITEM: (record, context) => {
    const row = flatten(record);
    if (!row.ITEMID?.trim()) throw context.errors.fail('validation', 'Required field ITEMID is missing for Item.');
    if (!row.NAME?.trim()) throw context.errors.fail('validation', 'Required field NAME is missing for Item.');
    const types = ['Inventory', 'Non-Inventory', 'Non-Inventory (Purchase only)', 'Non-Inventory (Sales only)', 'Kit', 'Stockable Kit'];
    if (!types.includes(row.ITEMTYPE ?? ''))
      throw context.errors.fail('validation', `Invalid ITEMTYPE ${row.ITEMTYPE ?? '(missing)'}`, `Use one of: ${types.join(', ')}.`);
    return { UNIT: 'Each', ...row, STATUS: row.STATUS ?? 'active' };
  },
  WAREHOUSE: (record, context) => {
    const row = flatten(record);
    if (!row.WAREHOUSEID?.trim()) throw context.errors.fail('validation', 'Required field WAREHOUSEID is missing for Warehouse.');
    const location = row['LOC.LOCATIONID'];
    if (!location) throw context.errors.fail('missingDimension', 'A location is required for a warehouse.', 'Provide LOC.LOCATIONID.');
    requireActive(context, 'LOCATION', 'Location', location);
    return { ...row, STATUS: row.STATUS ?? 'active' };
  },
  DEPARTMENT: (record, context) => dimension(record, context, 'DEPARTMENTID', 'TITLE'),
  LOCATION: (record, context) => dimension(record, context, 'LOCATIONID', 'NAME'),
  CLASS: (record, context) => dimension(record, context, 'CLASSID', 'NAME'),
  PROJECT: (record, context) => dimension(record, context, 'PROJECTID', 'NAME'),
};

function dimension(record: XmlNode, context: FunctionContext, idField: string, nameField: string): Row {
  const row = flatten(record);
  if (!row[idField]?.trim()) throw context.errors.fail('validation', `Required field ${idField} is missing.`);
  if (!row[nameField]?.trim()) throw context.errors.fail('validation', `Required field ${nameField} is missing.`);
  return { ...row, STATUS: row.STATUS ?? 'active' };
}

function objectLabel(object: string): string {
  return object.charAt(0) + object.slice(1).toLowerCase();
}

/**
 * Generic `create`: each record is checked and created on its own. When some fail (and the
 * operation is not a transaction) the result is a failure that still lists what was created.
 */
export const create: FunctionHandler = (body, context) => {
  const records = body.children;
  if (records.length > maxRecordsPerWrite)
    throw context.errors.fail(
      'tooManyRecords',
      `Maximum of ${maxRecordsPerWrite} objects allowed in a single create; received ${records.length}.`,
      'Split the records across functions.',
    );
  const created: OutElement[] = [];
  const errors: SandboxError[] = [];
  for (const record of records) {
    const object = record.name.toUpperCase();
    const mark = context.store.mark();
    try {
      if (object === 'GLBATCH') {
        const recordNo = createJournalEntry(record, context);
        created.push(el('glbatch', [el('RECORDNO', String(recordNo))]));
        continue;
      }
      if (object === 'ARPYMT') {
        const recordNo = createCreditApplication(record, context);
        created.push(el('arpymt', [el('RECORDNO', String(recordNo))]));
        continue;
      }
      const build = creators[object];
      if (!build) throw context.errors.fail('unsupported', `The sandbox does not create ${object} records.`);
      const row = build(record, context);
      const idField = objectDefinitions[object]?.idField;
      const id = idField === undefined ? undefined : row[idField];
      if (idField !== undefined && id !== undefined && context.store.getById(object, id)) {
        throw new FunctionFailure([
          context.errors.error(
            'duplicateId',
            `Another ${objectLabel(object)} with the given value(s) ${id}  already exists`,
            'Use a unique value instead.',
          ),
          context.errors.error('couldNotCreate', `Could not create ${object.toLowerCase()} record!`),
        ]);
      }
      const stamp = toUsTimestamp(context.now);
      const recordNo = context.store.insert(object, { ...row, WHENCREATED: stamp, WHENMODIFIED: stamp });
      created.push(el(object.toLowerCase(), [el('RECORDNO', String(recordNo)), ...(idField === undefined ? [] : [el(idField, id ?? '')])]));
    } catch (error) {
      context.store.rollbackTo(mark);
      if (!(error instanceof FunctionFailure)) throw error;
      errors.push(...error.errors);
    }
  }
  const data = el('data', created, { listtype: 'objects', count: String(created.length) });
  if (errors.length > 0) throw new FunctionFailure(errors, created.length > 0 ? data : undefined);
  return { data };
};

const updatable = new Set(['CUSTOMER', 'ITEM', 'WAREHOUSE', 'DEPARTMENT', 'LOCATION', 'CLASS', 'PROJECT']);

/** Generic `update`: only the fields sent change; the record is found by RECORDNO or its ID field. */
export const update: FunctionHandler = (body, context) => {
  const records = body.children;
  if (records.length > maxRecordsPerWrite)
    throw context.errors.fail(
      'tooManyRecords',
      `Maximum of ${maxRecordsPerWrite} objects allowed in a single update; received ${records.length}.`,
    );
  const updated: OutElement[] = [];
  for (const record of records) {
    const object = record.name.toUpperCase();
    if (!updatable.has(object)) throw context.errors.fail('unsupported', `The sandbox does not update ${object} records.`);
    const changes = flatten(record);
    const idField = objectDefinitions[object]?.idField;
    const existing =
      changes.RECORDNO !== undefined
        ? context.store.get(object, Number(changes.RECORDNO))
        : idField !== undefined && changes[idField] !== undefined
          ? context.store.getById(object, changes[idField])
          : undefined;
    if (!existing)
      throw context.errors.fail(
        'recordNotFound',
        `Could not find ${object.toLowerCase()} record ${changes.RECORDNO ?? (idField ? changes[idField] : '') ?? ''} to update.`,
      );
    if (changes.TERMNAME) requireActive(context, 'ARTERM', 'Term', changes.TERMNAME);
    const { RECORDNO: _recordNo, ...rest } = changes;
    if (idField !== undefined) delete rest[idField];
    context.store.update(object, Number(existing.RECORDNO), { ...rest, WHENMODIFIED: toUsTimestamp(context.now) });
    updated.push(
      el(object.toLowerCase(), [
        el('RECORDNO', existing.RECORDNO),
        ...(idField === undefined ? [] : [el(idField, existing[idField] ?? '')]),
      ]),
    );
  }
  return { data: el('data', updated, { listtype: 'objects', count: String(updated.length) }) };
};

/** Generic `delete` by RECORDNO; a customer with documents cannot be deleted. */
export const remove: FunctionHandler = (body, context) => {
  const object = (body.children.find((node) => node.name === 'object')?.text ?? '').trim().toUpperCase();
  if (!updatable.has(object)) throw context.errors.fail('unsupported', `The sandbox does not delete ${object || '(empty)'} records.`);
  const keys = (body.children.find((node) => node.name === 'keys')?.text ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  for (const key of keys) {
    const row = /^\d+$/.test(key) ? context.store.get(object, Number(key)) : undefined;
    if (!row) throw context.errors.fail('recordNotFound', `Could not find ${object.toLowerCase()} record ${key} to delete.`);
    if (object === 'CUSTOMER' && context.store.where('SODOCUMENT', 'CUSTVENDID', row.CUSTOMERID ?? '').length > 0) {
      throw context.errors.fail(
        'validation',
        `Customer ${row.CUSTOMERID} has transactions and cannot be deleted.`,
        'Make the customer inactive instead.',
      );
    }
    context.store.remove(object, Number(key));
  }
  return {};
};
