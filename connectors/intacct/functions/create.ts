import { element, type XmlElement } from '../xml-writer.js';

/** Ordered fields of a generic object record; a nested list becomes a nested element. */
export type ObjectFields = ReadonlyArray<readonly [string, string | ObjectFields | undefined]>;

/** One record of a generic create/update: the object name (UPPERCASE) and its fields in order. */
export interface ObjectRecord {
  readonly object: string;
  readonly fields: ObjectFields;
}

/** Largest number of records one generic create/update may carry. */
export const maxRecordsPerWrite = 100;

/** Renders ordered fields; undefined values are left out (never sent empty). */
export function fieldElements(fields: ObjectFields): XmlElement[] {
  const out: XmlElement[] = [];
  for (const [name, value] of fields) {
    if (value === undefined) continue;
    out.push(typeof value === 'string' ? element(name, value) : element(name, fieldElements(value)));
  }
  return out;
}

/** Generic `create`: 1–100 records. */
export function create(records: readonly ObjectRecord[]): XmlElement {
  if (records.length === 0 || records.length > maxRecordsPerWrite)
    throw new RangeError(`create takes 1–${maxRecordsPerWrite} records, got ${records.length}`);
  return element(
    'create',
    records.map((record) => element(record.object, fieldElements(record.fields))),
  );
}

/** Generic `update`: 1–100 records, each identified by RECORDNO or its ID field; absent fields are unchanged. */
export function update(records: readonly ObjectRecord[]): XmlElement {
  if (records.length === 0 || records.length > maxRecordsPerWrite)
    throw new RangeError(`update takes 1–${maxRecordsPerWrite} records, got ${records.length}`);
  return element(
    'update',
    records.map((record) => element(record.object, fieldElements(record.fields))),
  );
}
