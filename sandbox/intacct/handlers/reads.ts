import { FunctionFailure } from '../error-catalogue.js';
import { childText } from '../xml-tree.js';
import { matches, parseQuery, QuerySyntaxError, type QueryExpression } from '../query-language.js';
import { allFields, recordElement } from '../record-output.js';
import { objectDefinitions, type Row } from '../store.js';
import { el } from '../xml-output.js';
import { visibleToSession, type FunctionContext, type FunctionHandler, type FunctionOutput } from './context.js';

/** Largest readByQuery page; larger requests are cut to it. */
export const maxReadByQueryPageSize = 1000;
/** Largest number of keys in one read. */
export const maxReadKeys = 100;

export function objectName(body: Parameters<FunctionHandler>[0], context: FunctionContext): string {
  const object = (childText(body, 'object') ?? '').trim().toUpperCase();
  if (!context.store.hasObject(object)) {
    throw context.errors.fail('validation', `Object definition ${object || '(empty)'} not found`, 'Check the object name.');
  }
  return object;
}

/** Parses a field list and checks every name against the object's fields. */
export function selectFields(object: string, raw: string | undefined, context: FunctionContext, sample: readonly Row[]): string[] | '*' {
  const text = (raw ?? '*').trim();
  if (text === '' || text === '*') return '*';
  const requested = text.split(',').map((field) => field.trim().toUpperCase());
  const known = new Set<string>(['RECORDNO']);
  for (const row of [...context.store.all(object), ...sample])
    for (const field of Object.keys(row)) if (!field.startsWith('_')) known.add(field);
  const unknown = requested.filter((field) => !known.has(field) && !extraFields[object]?.includes(field));
  if (unknown.length > 0) {
    // The gateway puts the message in errorno itself: "Invalid fields list NOTAFIELD".
    throw new FunctionFailure([
      { errorno: `${context.errors.errorno('invalidFields')} ${unknown.join(',')}`, description: '', description2: '', correction: '' },
    ]);
  }
  return requested;
}

/** Fields an object has even when no stored record carries them yet. */
const extraFields: Readonly<Record<string, readonly string[]>> = {
  // SHIPVIA, TRACKINGNUMBER, SHIPPEDDATE: the shipment fields of the live object (newer than the 2019 schema's create_sotransaction).
  SODOCUMENT: [
    'PRRECORDKEY',
    'CREATEDFROM',
    'MESSAGE',
    'EXTERNALID',
    'WHENDUE',
    'TERMNAME',
    'CURRENCY',
    'BASECURR',
    'TRX_TOTAL',
    'TOTAL',
    'PONUMBER',
    'DOCNO',
    'DOCID',
    'DOCPARID',
    'STATE',
    'CUSTVENDID',
    'WHENCREATED',
    'SHIPVIA',
    'TRACKINGNUMBER',
    'SHIPPEDDATE',
    'TAXSOLUTIONID',
  ],
  // A document's subtotals as the documented object lists them (line tax entries carry DOCENTRYKEY and DETAILID).
  SODOCUMENTSUBTOTALS: ['DOCHDRNO', 'DOCENTRYKEY', 'DESCRIPTION', 'DETAILID', 'PERCENTVAL', 'TRX_ABSVAL', 'TRX_TOTAL', 'STATUS'],
  ARPYMT: ['DOCNUMBER', 'CUSTOMERID', 'STATE', 'TOTALENTERED', 'RECEIPTDATE', 'PAYMENTMETHOD'],
  ARADJUSTMENT: ['RECORDID', 'CUSTOMERID', 'TOTALENTERED', 'TOTALPAID', 'TOTALDUE', 'STATE'],
  // A customer's contact, credit hold, type and price list, whether or not a seeded one has them.
  CUSTOMER: [
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
    'DISPLAYCONTACT.MAILADDRESS.COUNTRYCODE',
    'CUSTTYPE',
    'ONHOLD',
    'PRICELIST',
    'TOTALDUE',
  ],
  ARINVOICE: ['RECORDID', 'CUSTOMERID', 'TOTALENTERED', 'TOTALPAID', 'TOTALDUE', 'STATE'],
  GLBATCH: ['REFERENCENO', 'JOURNAL', 'BATCH_DATE', 'BATCH_TITLE', 'STATE', 'MODULE'],
  GLENTRY: [
    'BATCHNO',
    'LINE_NO',
    'ACCOUNTNO',
    'TR_TYPE',
    'AMOUNT',
    'TRX_AMOUNT',
    'CURRENCY',
    'ENTRY_DATE',
    'DESCRIPTION',
    'LOCATION',
    'DEPARTMENT',
  ],
  DEPOSIT: ['DEPOSITID', 'FINANCIALENTITY', 'WHENCREATED', 'TOTALENTERED', 'DESCRIPTION', 'STATE'],
  INVDOCUMENT: ['DOCID', 'DOCNO', 'DOCPARID', 'PONUMBER', 'STATE'],
  SOPRICELISTENTRY: [
    'PRICELISTID',
    'ITEMID',
    'DATEFROM',
    'DATETO',
    'QTYLIMITMIN',
    'QTYLIMITMAX',
    'VALUE',
    'VALUETYPE',
    'FIXED',
    'STATUS',
    'WHENMODIFIED',
  ],
};

function rowsOf(object: string, context: FunctionContext, docparid: string | undefined): Row[] {
  const rows = context.store.all(object).filter((row) => visibleToSession(object, row, context));
  return docparid === undefined || docparid.trim() === '' ? rows : rows.filter((row) => row.DOCPARID === docparid);
}

function page(elementName: string, fields: readonly string[] | '*', rows: readonly Row[]): ReturnType<typeof recordElement>[] {
  return rows.map((row) => recordElement(elementName, row, fields === '*' ? allFields(row) : fields));
}

/** `readByQuery`: lowercase records, `count`/`totalcount`/`numremaining`/`resultId`. */
export const readByQuery: FunctionHandler = (body, context) => {
  const object = objectName(body, context);
  const fields = selectFields(object, childText(body, 'fields'), context, []);
  let expression: QueryExpression;
  try {
    expression = parseQuery(childText(body, 'query') ?? '');
  } catch (error) {
    if (error instanceof QuerySyntaxError)
      throw context.errors.fail('queryFailed', `Query Failed: ${error.message}`, 'Check the query syntax.');
    throw error;
  }
  const rawPageSize = (childText(body, 'pagesize') ?? '100').trim();
  const requestedPageSize = Number(rawPageSize);
  if (!/^\d+$/.test(rawPageSize) || requestedPageSize < 1)
    throw context.errors.fail('validation', `Invalid pagesize ${rawPageSize}`, 'Use a page size from 1 to 1000.');
  const pageSize = Math.min(requestedPageSize, maxReadByQueryPageSize);
  const rows = rowsOf(object, context, childText(body, 'docparid')).filter((row) => matches(expression, row));
  const elementName = object.toLowerCase();
  const first = rows.slice(0, pageSize);
  const remaining = rows.length - first.length;
  const resultId =
    remaining > 0
      ? context.cursors.open({
          sessionKey: context.sessionKey,
          elementName,
          fields: fields === '*' ? [] : fields,
          rows,
          position: first.length,
          pageSize,
        })
      : '';
  return pageOutput(elementName, fields, first, rows.length, remaining, resultId);
};

function pageOutput(
  elementName: string,
  fields: readonly string[] | '*',
  rows: readonly Row[],
  total: number,
  remaining: number,
  resultId: string,
): FunctionOutput {
  return {
    data: el('data', page(elementName, fields, rows), {
      listtype: elementName,
      count: String(rows.length),
      totalcount: String(total),
      numremaining: String(remaining),
      resultId,
    }),
  };
}

/** `readMore`: the next page of a `resultId`, with the page size of the original query. */
export const readMore: FunctionHandler = (body, context) => {
  const resultId = childText(body, 'resultId');
  if (resultId === undefined)
    throw context.errors.fail('unsupported', 'readMore by object, view or report is not supported by the sandbox; use resultId.');
  const cursor = context.cursors.take(resultId.trim(), context.sessionKey);
  if (!cursor)
    throw context.errors.fail(
      'resultIdExpired',
      `Unable to find the result set for resultId ${resultId}. It may have expired.`,
      'Run the readByQuery again.',
    );
  const rows = cursor.rows.slice(cursor.position, cursor.position + cursor.pageSize);
  cursor.position += rows.length;
  const remaining = cursor.rows.length - cursor.position;
  if (remaining === 0) context.cursors.close(resultId);
  return pageOutput(
    cursor.elementName,
    cursor.fields.length === 0 ? '*' : cursor.fields,
    rows,
    cursor.rows.length,
    remaining,
    remaining > 0 ? resultId : '',
  );
};

function keysOf(body: Parameters<FunctionHandler>[0], context: FunctionContext): string[] {
  const keys = (childText(body, 'keys') ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  if (keys.length > maxReadKeys)
    throw context.errors.fail('validation', `Too many keys: ${keys.length}. At most ${maxReadKeys} are allowed.`);
  return keys;
}

/** `read`: records by RECORDNO; UPPERCASE records; unknown keys are left out (count 0). */
export const read: FunctionHandler = (body, context) => {
  const object = objectName(body, context);
  const fields = selectFields(object, childText(body, 'fields'), context, []);
  const docparid = childText(body, 'docparid');
  const rows = keysOf(body, context)
    .map((key) => (/^\d+$/.test(key) ? context.store.get(object, Number(key)) : undefined))
    .filter(
      (row): row is Row =>
        row !== undefined && visibleToSession(object, row, context) && (docparid === undefined || row.DOCPARID === docparid),
    );
  return { data: el('data', page(object, fields, rows), { listtype: object, count: String(rows.length) }) };
};

/** `readByName`: records by the object's ID field; UPPERCASE records. */
export const readByName: FunctionHandler = (body, context) => {
  const object = objectName(body, context);
  const idField = objectDefinitions[object]?.idField;
  if (idField === undefined || idField.startsWith('_'))
    throw context.errors.fail('validation', `readByName is not available for ${object}`, 'Use read or readByQuery.');
  const fields = selectFields(object, childText(body, 'fields'), context, []);
  const docparid = childText(body, 'docparid');
  const rows = keysOf(body, context)
    .map((key) => context.store.getById(object, key))
    .filter(
      (row): row is Row =>
        row !== undefined && visibleToSession(object, row, context) && (docparid === undefined || row.DOCPARID === docparid),
    );
  return { data: el('data', page(object, fields, rows), { listtype: object, count: String(rows.length) }) };
};
