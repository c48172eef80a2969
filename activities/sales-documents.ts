import {
  IntacctInputError,
  createSalesDocument as createIntacctSalesDocument,
  deleteSotransaction,
  findConvertedDocument,
  findSalesDocumentsByReference,
  readConversionSource,
  readSalesDocument,
  readSourceLinesWithTotals,
  updateSalesDocument,
  type IntacctClient,
  type IntacctConversionSource,
  type IntacctSourceLines,
  type SalesDocumentInput,
  type SalesDocumentLine,
} from '../connectors/intacct/index.js';
import { businessDateOf } from '../mappers/to-intacct-sales-document.js';
import { ShipmentInvoiceMismatch, toInvoiceSubtotals, toShipmentInvoiceLines } from '../mappers/shipment-lines.js';
import { findLedgerEntry, recordLedgerEntry, type LedgerEntry } from '../store/ledger.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import { forgetStaleLearnedCustomer } from './learned-customers.js';
import { activityAttempt, intacctControlId, intacctForOrder, orderEntityOf } from './intacct-writes.js';
import { refusedDocumentFailure } from './sales-document-refusals.js';
import { refuseUndoAfterRefunds } from './undo-after-refunds.js';
import { operatorFailure } from './flow-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import type {
  CancelSalesDocumentInput,
  ConvertToInvoiceInput,
  CreateSalesDocumentInput,
  CreatedSalesDocument,
  OrderToCashActivities,
  ShipmentInvoice,
} from '../workflows/order-to-cash-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';

function ledgerKey(input: OrderRef, entity: LedgerEntry['entity']): Pick<LedgerEntry, 'tenantId' | 'entity' | 'externalId'> {
  return { tenantId: input.tenantId, entity, externalId: input.orderId };
}

/** The currency the sales order's amounts are in. */
function salesOrderCurrency(source: IntacctConversionSource, settings: Pick<TenantSettings, 'orderSync'>): string {
  return source.currency || source.baseCurrency || settings.orderSync.currency.baseCurrency;
}

/**
 * The sales order's subtotals (an order-level discount) for the invoice that carries them: a
 * conversion copies only lines, so without them the order's invoices would not sum to it.
 */
function salesOrderSubtotals(
  source: IntacctConversionSource,
  sourceLines: IntacctSourceLines,
  settings: Pick<TenantSettings, 'orderSync'>,
) {
  return toInvoiceSubtotals(
    { total: source.total, lineTotals: sourceLines.lineTotals, lines: sourceLines.lines, currency: salesOrderCurrency(source, settings) },
    sourceLines.lines,
    settings.orderSync.adjustments.discountSubtotal,
  );
}

/**
 * The sales order whose lines' tax entries a conversion reads: one with a tax solution (a
 * `perLine` tenant's), so that its invoices carry the tax of the units they take. Without one its
 * lines carry no tax detail, and reading it would cost an API transaction for nothing.
 */
function taxDetailOf(source: IntacctConversionSource): IntacctConversionSource | undefined {
  return source.taxSolutionId === '' ? undefined : source;
}

/** An invoice converted from the sales order, and whether this call created it. */
type ConvertedInvoice = Awaited<ReturnType<OrderToCashActivities['convertToInvoice']>>;

/** States in which documents were created from a sales document: it can be neither deleted nor updated. */
const convertedStates = ['Converted', 'Partially Converted', 'In Progress'];

/**
 * OrderToCash's sales document activities. Each writes to Intacct exactly once, twice over: the
 * sync ledger first (a document it holds costs no Intacct call), then a control id stable across
 * attempts and runs sent with `uniqueid`, so a write whose answer was lost is recognised.
 */
export function createSalesDocumentActivities(deps: Pick<ActivityDependencies, 'db' | 'connections'>) {
  /**
   * Creates the order's document unless the ledger holds it. Intacct is searched by reference
   * number before creating only when an earlier attempt (this activity's, or a run's the ledger
   * counted) may have created it; a first attempt costs exactly the create.
   */
  async function createSalesDocument(input: CreateSalesDocumentInput): Promise<CreatedSalesDocument> {
    const key = ledgerKey(input, 'order');
    const known = await findLedgerEntry(deps.db, key);
    if (known?.intacctDocumentId !== undefined) {
      if (known.state === 'cancelled') {
        throw operatorFailure(
          orderToCashFailures,
          'SalesDocumentCancelled',
          `order ${input.orderId}'s ${known.intacctDocumentId} was cancelled; it is not posted again automatically: post it by hand in Intacct, or clear the ledger entry and retry the order`,
        );
      }
      return { documentId: known.intacctDocumentId, ...(known.arInvoiceKey && { arInvoiceKey: known.arInvoiceKey }), created: false };
    }
    const { document } = input;
    const connection = await deps.connections.forTenant(input.tenantId);
    const client = await connection.intacct(document.entityId);
    // The entity is remembered with the attempt (when any was routed): a later attempt routed elsewhere still looks where this one wrote.
    const routed = document.entityId !== undefined || known?.intacctEntityId !== undefined;
    const counted = await recordLedgerEntry(deps.db, key, {
      countAttempt: true,
      workflowId: input.workflowId,
      settingsVersion: input.settingsVersion,
      ...(routed && { intacctEntityId: document.entityId ?? '' }),
    });
    let result: (CreatedSalesDocument & { entityId?: string }) | undefined;
    if (activityAttempt() > 1 || counted.attempts > 1) {
      const earlierEntity = orderEntityOf(known);
      const places = earlierEntity === document.entityId ? [client] : [await connection.intacct(earlierEntity), client];
      for (const [index, place] of places.entries()) {
        const [found] = await findSalesDocumentsByReference(place, document.transactionDefinition, document.referenceNumber);
        if (!found) continue;
        const foundIn = index === 0 && places.length > 1 ? earlierEntity : document.entityId;
        result = {
          documentId: found.documentId,
          ...(found.arInvoiceKey && { arInvoiceKey: found.arInvoiceKey }),
          created: false,
          ...(foundIn !== undefined && { entityId: foundIn }),
        };
        break;
      }
    }
    if (result === undefined) {
      // The entity is part of the write's identity: the same order sent to another entity is another write.
      const entityPart = document.entityId === undefined ? [] : [document.entityId];
      const controlId = intacctControlId('so-create', input.tenantId, input.orderId, document.transactionDefinition, ...entityPart);
      let created: Awaited<ReturnType<typeof createIntacctSalesDocument>>;
      try {
        created = await createIntacctSalesDocument(client, document, controlId);
      } catch (error) {
        throw (
          (await forgetStaleLearnedCustomer(deps.db, input.tenantId, document.customerId, error)) ?? refusedDocumentFailure(error) ?? error
        );
      }
      result = {
        documentId: created.documentId,
        created: created.created,
        ...(document.entityId !== undefined && { entityId: document.entityId }),
      };
    }
    const { entityId: postedIn, ...outcome } = result;
    await recordLedgerEntry(deps.db, key, {
      state: 'synced',
      intacctDocumentId: outcome.documentId,
      ...(outcome.arInvoiceKey && { arInvoiceKey: outcome.arInvoiceKey }),
      workflowId: input.workflowId,
      settingsVersion: input.settingsVersion,
      ...((routed || postedIn !== undefined) && { intacctEntityId: postedIn ?? '' }),
    });
    return outcome;
  }

  /** Deletes the document, or closes it when Intacct refuses the delete; true when it did either. */
  async function deleteOrClose(client: IntacctClient, input: CancelSalesDocumentInput): Promise<boolean> {
    const documentId = input.salesDocumentId;
    try {
      await client.executeOne({
        controlId: intacctControlId('so-delete', input.tenantId, documentId),
        body: deleteSotransaction({ documentId }),
      });
      return true;
    } catch (deleteError) {
      if (!(deleteError instanceof IntacctInputError)) throw deleteError;
      // The definition's delete policy, or a posting Intacct will not undo: a closed document stops counting as open.
      try {
        await updateSalesDocument(client, { documentId, state: 'Closed' }, intacctControlId('so-close', input.tenantId, documentId));
        return true;
      } catch (closeError) {
        if (!(closeError instanceof IntacctInputError)) throw closeError;
        throw operatorFailure(
          orderToCashFailures,
          'SalesDocumentNotCancellable',
          `Intacct refused to delete ${documentId} (${deleteError.message}) and to close it (${closeError.message}); reverse what depends on it, then retry`,
        );
      }
    }
  }

  /**
   * Compensation: deletes the document, or closes it when Intacct will not delete it. A document
   * already gone or closed, or recorded cancelled in the ledger, counts as done. `cancelled` is
   * true when this call deleted or closed it (a retry after a lost answer reports false).
   */
  async function cancelSalesDocument(input: CancelSalesDocumentInput): Promise<{ cancelled: boolean }> {
    const key = ledgerKey(input, 'order');
    const known = await findLedgerEntry(deps.db, key);
    if (known?.state === 'cancelled' && known.intacctDocumentId === input.salesDocumentId) return { cancelled: false };
    await refuseUndoAfterRefunds(deps.db, input, `deleting (or closing) ${input.salesDocumentId}`);
    const client = await intacctForOrder(deps, input);
    const document = await readSalesDocument(client, input.salesDocumentId);
    let cancelled = false;
    if (document !== undefined && document.state !== 'Closed') {
      if (convertedStates.includes(document.state)) {
        throw operatorFailure(
          orderToCashFailures,
          'SalesDocumentNotCancellable',
          `${input.salesDocumentId} is ${document.state}: documents were created from it, so Intacct can neither delete nor close it; cancel or credit those documents (for example the invoice), then retry`,
        );
      }
      cancelled = await deleteOrClose(client, input);
    }
    await recordLedgerEntry(deps.db, key, {
      state: 'cancelled',
      ...(known?.intacctDocumentId === undefined && { intacctDocumentId: input.salesDocumentId }),
    });
    return { cancelled };
  }

  /**
   * Converts the sales order to the invoice definition once: its lines copied with `sourcelinekey`
   * and `createdfrom`, its subtotals (an order-level discount) with them, dated today in the tenant's time zone. When the order already shows
   * converted (an earlier attempt whose answer was lost, or a person), the invoice created from
   * it is found and recorded instead. The invoice is read back for its AR key (payments apply to it).
   */
  async function convertToInvoice(input: ConvertToInvoiceInput): Promise<ConvertedInvoice> {
    if (input.shipment !== undefined) return convertShipmentToInvoice({ ...input, shipment: input.shipment });
    const key = ledgerKey(input, 'invoice');
    const known = await findLedgerEntry(deps.db, key);
    if (known?.intacctDocumentId !== undefined && known.state === 'synced') {
      return {
        invoiceDocumentId: known.intacctDocumentId,
        ...(known.arInvoiceKey && { arInvoiceKey: known.arInvoiceKey }),
        created: false,
      };
    }
    const connection = await deps.connections.forTenant(input.tenantId);
    const client = await connection.intacct(orderEntityOf(await findLedgerEntry(deps.db, ledgerKey(input, 'order'))));
    await recordLedgerEntry(deps.db, key, { countAttempt: true });
    const definition = input.invoiceTransactionDefinition;

    const record = async (invoice: { documentId: string; arInvoiceKey: string }, created: boolean) => {
      await recordLedgerEntry(deps.db, key, {
        state: 'synced',
        intacctDocumentId: invoice.documentId,
        ...(invoice.arInvoiceKey && { arInvoiceKey: invoice.arInvoiceKey, intacctKey: invoice.arInvoiceKey }),
        settingsVersion: connection.settingsVersion,
      });
      return { invoiceDocumentId: invoice.documentId, ...(invoice.arInvoiceKey && { arInvoiceKey: invoice.arInvoiceKey }), created };
    };

    const source = await readConversionSource(client, input.salesDocumentId);
    if (source === undefined)
      throw operatorFailure(
        orderToCashFailures,
        'SalesDocumentNotFound',
        `${input.salesDocumentId} does not exist in Intacct; it cannot be converted to ${definition}`,
      );
    if (convertedStates.includes(source.state)) {
      const existing = await findConvertedDocument(client, definition, source.documentId);
      if (existing) return record(existing, false);
      throw operatorFailure(
        orderToCashFailures,
        'SalesDocumentNotConvertible',
        `${source.documentId} is ${source.state}, but not to a ${definition}; convert the rest by hand`,
      );
    }
    if (source.state === 'Closed')
      throw operatorFailure(
        orderToCashFailures,
        'SalesDocumentNotConvertible',
        `${source.documentId} is Closed and cannot be converted to ${definition}`,
      );

    const { settings } = connection;
    const sourceLines = await readSourceLinesWithTotals(client, source.documentId, taxDetailOf(source));
    // Lines at quantity 0 (a refund before invoicing took them to nothing) are not invoiced.
    const convertible = sourceLines.lines.filter((line) => Number(line.quantity) > 0);
    const subtotals = salesOrderSubtotals(source, sourceLines, settings);
    const invoice: SalesDocumentInput & { referenceNumber: string } = {
      transactionDefinition: definition,
      date: businessDateOf(new Date().toISOString(), settings.timezone),
      createdFrom: source.documentId,
      customerId: source.customerId,
      referenceNumber: source.referenceNumber || input.orderId,
      ...(source.taxSolutionId !== '' && { taxSolutionId: source.taxSolutionId }),
      ...(source.currency !== '' &&
        source.baseCurrency !== '' &&
        source.currency !== source.baseCurrency && {
          currency: {
            baseCurrency: source.baseCurrency,
            currency: source.currency,
            exchangeRateType: settings.orderSync.currency.exchangeRateType,
          },
        }),
      lines: convertible,
      ...(subtotals.length > 0 && { subtotals }),
    };
    let created: { documentId: string; created: boolean };
    try {
      created = await createIntacctSalesDocument(
        client,
        invoice,
        intacctControlId('so-convert', input.tenantId, input.orderId, definition),
      );
    } catch (error) {
      if (!(error instanceof IntacctInputError)) throw error;
      // A person may have converted it since it was read: then theirs is the invoice.
      const converted = await findConvertedDocument(client, definition, source.documentId);
      if (converted === undefined) throw error;
      return record(converted, false);
    }
    const read = await readSalesDocument(client, created.documentId);
    return record({ documentId: created.documentId, arInvoiceKey: read?.arInvoiceKey ?? '' }, created.created);
  }

  /**
   * Converts exactly one storefront shipment's units of the sales order into an invoice of its
   * own (Intacct's partial conversion: `createdfrom`, each line's `sourcelinekey` and the
   * shipment's quantity), once: the ledger keys it by the shipment, the invoice carries the
   * shipment in its external id (how a retry after a lost answer finds it), and its control id
   * is the shipment's. The order's first invoice is also the order's in the ledger (payments and
   * refunds apply to it).
   */
  async function convertShipmentToInvoice(input: ConvertToInvoiceInput & { shipment: ShipmentInvoice }): Promise<ConvertedInvoice> {
    const { shipment } = input;
    const key = { tenantId: input.tenantId, entity: 'invoice' as const, externalId: `${input.orderId}:shipment:${shipment.shipmentId}` };
    const known = await findLedgerEntry(deps.db, key);
    if (known?.intacctDocumentId !== undefined && known.state === 'synced') {
      return {
        invoiceDocumentId: known.intacctDocumentId,
        ...(known.arInvoiceKey && { arInvoiceKey: known.arInvoiceKey }),
        created: false,
      };
    }
    const connection = await deps.connections.forTenant(input.tenantId);
    const client = await connection.intacct(orderEntityOf(await findLedgerEntry(deps.db, ledgerKey(input, 'order'))));
    const counted = await recordLedgerEntry(deps.db, key, { countAttempt: true, orderExternalId: input.orderId });
    const definition = input.invoiceTransactionDefinition;
    const externalId = `shipment-${shipment.shipmentId}`;
    const what = `shipment ${shipment.trackingNumber ?? shipment.shipmentId} of ${input.salesDocumentId}`;

    const record = async (invoice: { documentId: string; arInvoiceKey: string }, created: boolean): Promise<ConvertedInvoice> => {
      const fields = {
        state: 'synced' as const,
        intacctDocumentId: invoice.documentId,
        ...(invoice.arInvoiceKey && { arInvoiceKey: invoice.arInvoiceKey, intacctKey: invoice.arInvoiceKey }),
        settingsVersion: connection.settingsVersion,
      };
      await recordLedgerEntry(deps.db, key, fields);
      const orderInvoice = ledgerKey(input, 'invoice');
      if ((await findLedgerEntry(deps.db, orderInvoice))?.state !== 'synced') await recordLedgerEntry(deps.db, orderInvoice, fields);
      return { invoiceDocumentId: invoice.documentId, ...(invoice.arInvoiceKey && { arInvoiceKey: invoice.arInvoiceKey }), created };
    };

    if (activityAttempt() > 1 || counted.attempts > 1) {
      const found = await findConvertedDocument(client, definition, input.salesDocumentId, externalId);
      if (found) return record(found, false);
    }
    const source = await readConversionSource(client, input.salesDocumentId);
    if (source === undefined)
      throw operatorFailure(
        orderToCashFailures,
        'SalesDocumentNotFound',
        `${input.salesDocumentId} does not exist in Intacct; ${what} cannot be invoiced`,
      );
    if (source.state === 'Converted') {
      // Everything is invoiced already (a person converted the order in Intacct): nothing more is, and theirs stands for the shipment.
      const existing = await findConvertedDocument(client, definition, source.documentId);
      if (existing) return record(existing, false);
    }
    if (source.state === 'Converted' || source.state === 'Closed')
      throw operatorFailure(
        orderToCashFailures,
        'SalesDocumentNotConvertible',
        `${source.documentId} is ${source.state}, but not to a ${definition}, so ${what} cannot be invoiced; invoice it by hand`,
      );
    const sourceLines = await readSourceLinesWithTotals(client, source.documentId, taxDetailOf(source));
    let lines: SalesDocumentLine[];
    try {
      lines = toShipmentInvoiceLines(sourceLines.lines, shipment, salesOrderCurrency(source, connection.settings));
    } catch (error) {
      if (!(error instanceof ShipmentInvoiceMismatch)) throw error;
      throw operatorFailure(
        orderToCashFailures,
        'SalesDocumentNotConvertible',
        `${what} cannot be invoiced: ${error.message}; invoice it by hand`,
      );
    }
    const { settings } = connection;
    // The first invoice carries the charges (see toShipmentInvoiceLines), so the order's subtotals too.
    const subtotals = shipment.shippedBefore.length === 0 ? salesOrderSubtotals(source, sourceLines, settings) : [];
    const invoice: SalesDocumentInput & { referenceNumber: string } = {
      transactionDefinition: definition,
      date: businessDateOf(new Date().toISOString(), settings.timezone),
      createdFrom: source.documentId,
      customerId: source.customerId,
      referenceNumber: source.referenceNumber || input.orderId,
      ...(source.taxSolutionId !== '' && { taxSolutionId: source.taxSolutionId }),
      externalId,
      ...(source.currency !== '' &&
        source.baseCurrency !== '' &&
        source.currency !== source.baseCurrency && {
          currency: {
            baseCurrency: source.baseCurrency,
            currency: source.currency,
            exchangeRateType: settings.orderSync.currency.exchangeRateType,
          },
        }),
      lines,
      ...(subtotals.length > 0 && { subtotals }),
    };
    let created: { documentId: string; created: boolean };
    try {
      created = await createIntacctSalesDocument(
        client,
        invoice,
        intacctControlId('so-convert-shipment', input.tenantId, input.orderId, definition, shipment.shipmentId),
      );
    } catch (error) {
      if (!(error instanceof IntacctInputError)) throw error;
      // An attempt whose answer was lost may have created it meanwhile.
      const converted = await findConvertedDocument(client, definition, source.documentId, externalId);
      if (converted === undefined) throw error;
      return record(converted, false);
    }
    const read = await readSalesDocument(client, created.documentId);
    return record({ documentId: created.documentId, arInvoiceKey: read?.arInvoiceKey ?? '' }, created.created);
  }

  return {
    createSalesDocument: withConnectorFailures(createSalesDocument),
    cancelSalesDocument: withConnectorFailures(cancelSalesDocument),
    convertToInvoice: withConnectorFailures(convertToInvoice),
  } satisfies Pick<OrderToCashActivities, 'createSalesDocument' | 'cancelSalesDocument' | 'convertToInvoice'>;
}

export type SalesDocumentActivities = ReturnType<typeof createSalesDocumentActivities>;
