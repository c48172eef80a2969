import { intacctForOrder } from './intacct-writes.js';
import { isSameOrderVersion } from '../decisions/storefront-order-stamp.js';
import { fromIntacctFulfilmentDocument, shipmentsMissingFromStorefront } from '../mappers/shipment-records.js';
import { readConvertedDocuments } from '../connectors/intacct/index.js';
import { recordLedgerEntry } from '../store/ledger.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import type {
  DetectStorefrontOrderChangeInput,
  FetchedStorefrontOrder,
  OrderToCashActivities,
  ShipmentRecord,
  ShipmentStatus,
  StorefrontOrderChange,
  WriteBackInput,
  WriteBackResult,
} from '../workflows/order-to-cash-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';
import { createRecentOrderHeaders } from './recent-order-headers.js';
import { settleAll, storefrontOf } from './storefront-order-access.js';
import { readFullOrder, readOrderStamp, readsCustomerGroup } from './storefront-order-reads.js';
import { storefrontFieldReferences } from '../mappers/storefront-field-references.js';
import { addShipmentToStorefront, notAddable, readStorefrontShipments, withIntacctLines } from './storefront-shipments.js';
import { writeSyncStateBack } from './storefront-write-back.js';

/** The storefront half of OrderToCash's activities. */
export type StorefrontOrderActivities = Pick<
  OrderToCashActivities,
  'fetchStorefrontOrder' | 'writeBackToStorefront' | 'readShipmentStatus' | 'syncShipmentToStorefront' | 'detectStorefrontOrderChange'
>;

/**
 * OrderToCash's storefront activities: read the full order, write the Intacct document and
 * sync state back, compare shipments on both sides, and add Intacct's shipments to the store.
 * Every write reads first and is skipped when the storefront already holds the result.
 */
export function createStorefrontOrderActivities(deps: ActivityDependencies): StorefrontOrderActivities {
  const recentHeaders = createRecentOrderHeaders();
  return {
    fetchStorefrontOrder: withConnectorFailures(async (ref: OrderRef): Promise<FetchedStorefrontOrder> => {
      const connection = await deps.connections.forTenant(ref.tenantId);
      const taxMode = connection.settings.orderSync.adjustments.tax;
      return readFullOrder(await storefrontOf(connection, ref), ref, {
        taxBreakdown: taxMode === 'perLine' || taxMode === 'perJurisdiction',
        customerGroup: readsCustomerGroup(connection.settings),
        references: storefrontFieldReferences(connection.settings),
        recentHeaders,
      });
    }),

    detectStorefrontOrderChange: withConnectorFailures(async (input: DetectStorefrontOrderChangeInput): Promise<StorefrontOrderChange> => {
      const storefront = await storefrontOf(await deps.connections.forTenant(input.tenantId), input);
      const current = await readOrderStamp(storefront, input);
      return { changed: !isSameOrderVersion(input.lastSeenStamp, current), ...(current !== undefined && { storefrontStamp: current }) };
    }),

    writeBackToStorefront: withConnectorFailures(async (input: WriteBackInput): Promise<WriteBackResult> => {
      const storefront = await storefrontOf(await deps.connections.forTenant(input.tenantId), input);
      const storefrontStamp = await writeSyncStateBack(storefront, input, recentHeaders);
      if (storefrontStamp === undefined) return {};
      // A run started later (a late webhook, the sweep) compares the order's stamp with this one before doing anything.
      await recordLedgerEntry(
        deps.db,
        { tenantId: input.tenantId, entity: 'order', externalId: input.orderId },
        { storefrontModifiedAt: storefrontStamp },
      );
      return { storefrontStamp };
    }),

    readShipmentStatus: withConnectorFailures(async (input: OrderRef & { salesDocumentId: string }): Promise<ShipmentStatus> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      const storefront = await storefrontOf(connection, input);
      const intacct = intacctForOrder(deps, input);
      const [storefrontSide, documents] = await settleAll([
        readStorefrontShipments(storefront, input),
        intacct.then((client) => readConvertedDocuments(client, input.salesDocumentId)),
      ] as const);
      const invoiceDefinition = connection.settings.orderSync.fulfilment.invoiceTransactionDefinition;
      const invoice = documents.find((document) => document.definition === invoiceDefinition);
      const records = documents.map(fromIntacctFulfilmentDocument);
      const missing = shipmentsMissingFromStorefront(records, storefrontSide.storefrontShipments);
      return {
        ...storefrontSide,
        intacctShipmentsToSync: await withIntacctLines(
          await intacct,
          input.salesDocumentId,
          storefrontSide.orderLines ?? [],
          missing.map((record) => ({ record, documentId: documents[records.indexOf(record)]!.documentId })),
        ),
        ...(invoice !== undefined && { existingInvoiceDocumentId: invoice.documentId }),
      };
    }),

    syncShipmentToStorefront: withConnectorFailures(async (input: OrderRef & { shipment: ShipmentRecord }): Promise<{ added: boolean }> => {
      const trackingNumber = (input.shipment.trackingNumber ?? '').trim();
      if (trackingNumber === '') throw notAddable(input, 'the shipment has no tracking number to add or to recognise it by');
      const storefront = await storefrontOf(await deps.connections.forTenant(input.tenantId), input);
      return addShipmentToStorefront(storefront, input, input.shipment, trackingNumber);
    }),
  };
}
