import type { IntacctClient } from './client.js';
import { collectByQuery } from './paging.js';
import { fieldText } from './response-parser.js';

/** A named reference record (warehouse, payment term, dimension value). */
export interface ReferenceValue {
  readonly id: string;
  readonly name: string;
  readonly status: string;
}

/** The dimensions the product maps order attributes to, with their ID and name fields. */
export const dimensionObjects = {
  DEPARTMENT: { idField: 'DEPARTMENTID', nameField: 'TITLE' },
  LOCATION: { idField: 'LOCATIONID', nameField: 'NAME' },
  CLASS: { idField: 'CLASSID', nameField: 'NAME' },
  PROJECT: { idField: 'PROJECTID', nameField: 'NAME' },
} as const;

/** A dimension object name. */
export type DimensionObject = keyof typeof dimensionObjects;

async function list(client: IntacctClient, object: string, idField: string, nameField: string): Promise<ReferenceValue[]> {
  const records = await collectByQuery(client, {
    object,
    query: '',
    fields: [idField, nameField, 'STATUS'],
    pageSize: 1000,
    controlIdPrefix: `list-${object.toLowerCase()}`,
  });
  return records.map((record) => ({
    id: fieldText(record, idField),
    name: fieldText(record, nameField),
    status: fieldText(record, 'STATUS'),
  }));
}

/** Every warehouse. */
export function listWarehouses(client: IntacctClient): Promise<ReferenceValue[]> {
  return list(client, 'WAREHOUSE', 'WAREHOUSEID', 'NAME');
}

/** Every AR payment term (terms are keyed by name). */
export function listPaymentTerms(client: IntacctClient): Promise<ReferenceValue[]> {
  return list(client, 'ARTERM', 'NAME', 'DESCRIPTION');
}

/** Every value of one dimension. */
export function listDimensionValues(client: IntacctClient, dimension: DimensionObject): Promise<ReferenceValue[]> {
  const { idField, nameField } = dimensionObjects[dimension];
  return list(client, dimension, idField, nameField);
}
