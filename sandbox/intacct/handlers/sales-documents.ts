import { formatDecimal, multiply, parseDecimal, roundTo, type Scaled } from '../decimal.js';
import type { Row } from '../store.js';
import { child, childText, childrenNamed, type XmlNode } from '../xml-tree.js';
import {
  ensureOpenPeriod,
  entityOwnerFields,
  legacyDateOf,
  requireActive,
  toUsDate,
  visibleSalesDocument,
  type FunctionContext,
  type FunctionHandler,
} from './context.js';
import { adjustStock } from './inventory.js';
import { addDays, customFieldsOf, documentContactFields, subtotalsOf } from './sales-document-header.js';
import { addLine, definitionOf, isStocked, sourceLineLeft, stockDelta } from './sales-document-lines.js';
import { postReceivable, removeReceivable } from './sales-document-receivables.js';
import { shippingMethodOf, taxSolutionOf } from './sales-document-tax.js';

/** `create_sotransaction` for any sales definition; the key is the DOCID (`<definition>-<docno>`). */
export const createSotransaction: FunctionHandler = (body, context) => {
  const definition = definitionOf(childText(body, 'transactiontype') ?? '', context);
  const date = legacyDateOf(child(body, 'datecreated'), 'datecreated', context)!;
  ensureOpenPeriod(date, context);
  const customerId = childText(body, 'customerid') ?? '';
  const customer = requireActive(context, 'CUSTOMER', 'Customer', customerId);
  const createdFrom = childText(body, 'createdfrom');
  let source: Row | undefined;
  if (createdFrom !== undefined) {
    source = visibleSalesDocument(createdFrom, context);
    if (!source) throw context.errors.invalidReference('Source transaction', createdFrom);
    if (source.CUSTVENDID !== customerId)
      throw context.errors.fail('validation', `${createdFrom} belongs to customer ${source.CUSTVENDID}, not ${customerId}.`);
    if (source.STATE === 'Converted' || source.STATE === 'Closed')
      throw context.errors.fail('documentNotEditable', `${createdFrom} is ${source.STATE} and cannot be converted again.`);
  }
  const documentNumber =
    childText(body, 'documentno') ?? `${definition.prefix}${String(context.store.nextSequence(`SO:${definition.name}`)).padStart(4, '0')}`;
  const documentId = `${definition.name}-${documentNumber}`;
  if (context.store.getById('SODOCUMENT', documentId)) {
    throw context.errors.fail(
      'duplicateDocumentNumber',
      `Document number ${documentNumber} already exists for transaction definition ${definition.name}.`,
      'Use a unique document number, or leave it out to number automatically.',
    );
  }
  // Neither termname nor datedue: the customer's term, as Sage's SDK requests rely on; a customer
  // without a term makes the document due on its date.
  const termName =
    childText(body, 'termname') ?? (customer.TERMNAME !== undefined && customer.TERMNAME !== '' ? customer.TERMNAME : undefined);
  const term = termName ? requireActive(context, 'ARTERM', 'Term', termName) : undefined;
  const dueDate = legacyDateOf(child(body, 'datedue'), 'datedue', context) ?? (term ? addDays(date, Number(term.DUEDAYS ?? '0')) : date);
  const taxSolution = taxSolutionOf(body, context);
  const shippingMethod = shippingMethodOf(body, context);
  const state = childText(body, 'state') ?? 'Pending';
  if (!['Draft', 'Pending', 'Closed'].includes(state))
    throw context.errors.fail('validation', `Invalid state ${state}`, 'Use Draft, Pending or Closed.');
  const exchangeRateDate = legacyDateOf(child(body, 'exchratedate'), 'exchratedate', context);
  const projectId = childText(body, 'projectid');
  if (projectId !== undefined) requireActive(context, 'PROJECT', 'Project', projectId);
  const document: Row = {
    ...entityOwnerFields(context),
    DOCID: documentId,
    DOCNO: documentNumber,
    DOCPARID: definition.name,
    PONUMBER: childText(body, 'referenceno') ?? '',
    CUSTVENDID: customerId,
    STATE: state,
    WHENCREATED: toUsDate(date),
    WHENDUE: toUsDate(dueDate),
    TERMNAME: termName ?? '',
    MESSAGE: childText(body, 'message') ?? '',
    SHIPVIA: shippingMethod,
    TAXSOLUTIONID: taxSolution?.SOLUTIONID ?? '',
    EXTERNALID: childText(body, 'externalid') ?? '',
    CURRENCY: childText(body, 'currency') ?? 'USD',
    BASECURR: childText(body, 'basecurr') ?? 'USD',
    EXCH_RATE_TYPE_ID: childText(body, 'exchratetype') ?? '',
    EXCH_RATE_DATE: exchangeRateDate === undefined ? '' : toUsDate(exchangeRateDate),
    EXCHANGE_RATE: childText(body, 'exchrate') ?? '',
    CREATEDFROM: createdFrom ?? '',
    PROJECTID: projectId ?? '',
    ...documentContactFields('BILLTO', child(body, 'billto'), context),
    ...documentContactFields('SHIPTO', child(body, 'shipto'), context),
    ...customFieldsOf(body, 'SODOCUMENT', context),
  };
  const recordNo = context.store.insert('SODOCUMENT', document);
  let total = 0n;
  childrenNamed(child(body, 'sotransitems'), 'sotransitem').forEach((line, index) => {
    total += addLine(line, index, { recordNo, documentId, definition, source, taxSolution }, context);
  });
  total += subtotalsOf(child(body, 'subtotals'), context);
  const stored = { ...document, TOTAL: formatDecimal(total), TRX_TOTAL: formatDecimal(total) };
  context.store.update('SODOCUMENT', recordNo, {
    TOTAL: stored.TOTAL,
    TRX_TOTAL: stored.TRX_TOTAL,
    PRRECORDKEY: postReceivable(definition, stored, total, context),
  });
  if (source) context.store.update('SODOCUMENT', Number(source.RECORDNO), { STATE: convertedState(source, context) });
  return { key: documentId };
};

/**
 * A source after a conversion: Converted once no line has anything left (or when the conversion
 * linked no lines), Partially Converted while some line has units left for a later conversion.
 */
function convertedState(source: Row, context: FunctionContext): string {
  const lines = context.store.where('SODOCUMENTENTRY', 'DOCHDRID', source.DOCID ?? '');
  if (!lines.some((line) => line.QTY_CONVERTED !== undefined && line.QTY_CONVERTED !== '')) return 'Converted';
  return lines.some((line) => sourceLineLeft(line) > 0n) ? 'Partially Converted' : 'Converted';
}

function documentOf(body: XmlNode, context: FunctionContext): Row {
  const key = body.attributes.key ?? '';
  const document = visibleSalesDocument(key, context);
  if (!document)
    throw context.errors.fail(
      'recordNotFound',
      `Could not find the transaction ${key}.`,
      'Check the key (the DOCID, for example Sales Order-SO-0001).',
    );
  return document;
}

/**
 * The quantity an existing line is changed to. Unlike a new line's, it may be 0: the XML API has
 * no way to remove a line from a transaction, so an order line nobody will ship any more is set
 * to nothing (modelled, not confirmed by the reference: a company whose gateway refuses it parks
 * the refund with this message). A zero line is not converted.
 */
function remainingQuantity(raw: string | undefined, line: number, context: FunctionContext): Scaled {
  const quantity = parseDecimal(raw ?? '');
  if (quantity === undefined || quantity < 0n)
    throw context.errors.fail('validation', `Line ${line}: quantity ${raw ?? '(missing)'} must be zero or a positive number.`);
  return quantity;
}

/** `update_sotransaction`: header changes, existing lines by 1-based number, added lines; posting documents re-post their AR record. */
export const updateSotransaction: FunctionHandler = (body, context) => {
  const document = documentOf(body, context);
  if (['Converted', 'Partially Converted', 'In Progress', 'Closed'].includes(document.STATE ?? '')) {
    throw context.errors.fail('documentNotEditable', `${document.DOCID} is ${document.STATE} and cannot be updated.`);
  }
  const definition = definitionOf(document.DOCPARID ?? '', context);
  removeReceivable(definition, document, context);
  const changes: Row = {};
  const reference = childText(body, 'referenceno');
  if (reference !== undefined) changes.PONUMBER = reference;
  const termName = childText(body, 'termname');
  if (termName !== undefined) changes.TERMNAME = requireActive(context, 'ARTERM', 'Term', termName).NAME ?? termName;
  const dueDate = legacyDateOf(child(body, 'datedue'), 'datedue', context);
  if (dueDate !== undefined) changes.WHENDUE = toUsDate(dueDate);
  const message = childText(body, 'message');
  if (message !== undefined) changes.MESSAGE = message;
  const state = childText(body, 'state');
  if (state !== undefined) {
    if (!['Draft', 'Pending', 'Closed'].includes(state)) throw context.errors.fail('validation', `Invalid state ${state}`);
    changes.STATE = state;
  }
  // A contact given replaces the document's one, the way a new document takes it.
  for (const [prefix, name] of [
    ['SHIPTO', 'shipto'],
    ['BILLTO', 'billto'],
  ] as const) {
    const node = child(body, name);
    if (node === undefined) continue;
    for (const field of Object.keys(document)) if (field.startsWith(`${prefix}.`)) changes[field] = '';
    Object.assign(changes, documentContactFields(prefix, node, context));
  }
  Object.assign(changes, customFieldsOf(body, 'SODOCUMENT', context));
  const recordNo = Number(document.RECORDNO);
  const entries = context.store.where('SODOCUMENTENTRY', 'DOCHDRID', document.DOCID ?? '');
  const source = document.CREATEDFROM ? context.store.getById('SODOCUMENT', document.CREATEDFROM) : undefined;
  // Header subtotals (a discount, a charge) are not lines: they stay as they were and still count.
  const subtotals =
    (parseDecimal(document.TOTAL ?? '0') ?? 0n) - entries.reduce((sum, entry) => sum + (parseDecimal(entry.TOTAL ?? '0') ?? 0n), 0n);
  let nextLine = entries.length;
  for (const node of child(body, 'updatesotransitems')?.children ?? []) {
    if (node.name === 'sotransitem') {
      const taxSolution = document.TAXSOLUTIONID ? context.store.getById('TAXSOLUTION', document.TAXSOLUTIONID) : undefined;
      addLine(node, nextLine, { recordNo, documentId: document.DOCID ?? '', definition, source, taxSolution }, context);
      nextLine += 1;
      continue;
    }
    const lineNumber = Number(node.attributes.line_num ?? '');
    const entry = entries.find((candidate) => Number(candidate.LINE_NO) === lineNumber - 1);
    if (!Number.isInteger(lineNumber) || !entry)
      throw context.errors.fail(
        'validation',
        `Line number ${node.attributes.line_num ?? ''} does not exist on ${document.DOCID}.`,
        'line_num is 1-based.',
      );
    const quantity =
      childText(node, 'quantity') === undefined
        ? parseDecimal(entry.QUANTITY ?? '0')!
        : remainingQuantity(childText(node, 'quantity'), lineNumber, context);
    const rawPrice = childText(node, 'price');
    const price = rawPrice === undefined ? parseDecimal(entry.PRICE ?? '0')! : parseDecimal(rawPrice);
    if (price === undefined || price < 0n)
      throw context.errors.fail('validation', `Line ${lineNumber}: price ${rawPrice ?? ''} is not a valid amount.`);
    const item = context.store.getById('ITEM', entry.ITEMID ?? '');
    if (item && isStocked(item) && entry.WAREHOUSEID) {
      adjustStock(context, entry.ITEMID ?? '', entry.WAREHOUSEID, stockDelta(definition, quantity - parseDecimal(entry.QUANTITY ?? '0')!));
    }
    const discount = parseDecimal(entry.DISCOUNTPERCENT ?? '0') ?? 0n;
    const gross = multiply(quantity, price);
    context.store.update('SODOCUMENTENTRY', Number(entry.RECORDNO), {
      QUANTITY: formatDecimal(quantity),
      PRICE: formatDecimal(price),
      TOTAL: formatDecimal(roundTo(gross - multiply(gross, discount) / 100n, 2)),
      ...(childText(node, 'memo') === undefined ? {} : { MEMO: childText(node, 'memo')! }),
    });
  }
  const total =
    subtotals +
    context.store
      .where('SODOCUMENTENTRY', 'DOCHDRID', document.DOCID ?? '')
      .reduce((sum, entry) => sum + (parseDecimal(entry.TOTAL ?? '0') ?? 0n), 0n);
  context.store.update('SODOCUMENT', recordNo, { ...changes, TOTAL: formatDecimal(total), TRX_TOTAL: formatDecimal(total) });
  // Updating a posting document re-creates its AR record, so PRRECORDKEY changes.
  context.store.update('SODOCUMENT', recordNo, {
    PRRECORDKEY: postReceivable(definition, context.store.get('SODOCUMENT', recordNo)!, total, context),
  });
  return {};
};

/** `delete_sotransaction`: removes a document that nothing was converted from and nothing was paid on, undoing its stock and AR effects. */
export const deleteSotransaction: FunctionHandler = (body, context) => {
  const document = documentOf(body, context);
  if (context.store.where('SODOCUMENT', 'CREATEDFROM', document.DOCID ?? '').length > 0) {
    throw context.errors.fail(
      'documentNotEditable',
      `${document.DOCID} has been converted and cannot be deleted.`,
      'Delete the documents created from it first.',
    );
  }
  const definition = definitionOf(document.DOCPARID ?? '', context);
  removeReceivable(definition, document, context);
  for (const entry of context.store.where('SODOCUMENTENTRY', 'DOCHDRID', document.DOCID ?? '')) {
    const sourceLine = entry.SOURCELINEKEY ? context.store.get('SODOCUMENTENTRY', Number(entry.SOURCELINEKEY)) : undefined;
    if (sourceLine)
      context.store.update('SODOCUMENTENTRY', Number(entry.SOURCELINEKEY), {
        QTY_CONVERTED: formatDecimal((parseDecimal(sourceLine.QTY_CONVERTED ?? '0') ?? 0n) - (parseDecimal(entry.QUANTITY ?? '0') ?? 0n)),
      });
    const item = context.store.getById('ITEM', entry.ITEMID ?? '');
    if (item && isStocked(item) && entry.WAREHOUSEID)
      adjustStock(context, entry.ITEMID ?? '', entry.WAREHOUSEID, -stockDelta(definition, parseDecimal(entry.QUANTITY ?? '0')!));
    context.store.remove('SODOCUMENTENTRY', Number(entry.RECORDNO));
  }
  context.store.remove('SODOCUMENT', Number(document.RECORDNO));
  if (document.CREATEDFROM) {
    const source = context.store.getById('SODOCUMENT', document.CREATEDFROM);
    const others = context.store.where('SODOCUMENT', 'CREATEDFROM', source?.DOCID ?? '').length > 0;
    if (source) context.store.update('SODOCUMENT', Number(source.RECORDNO), { STATE: others ? 'Partially Converted' : 'Pending' });
  }
  return {};
};
