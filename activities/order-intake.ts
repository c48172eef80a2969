import type { OrderWithoutContacts } from '../mappers/order-views.js';
import { checkOrder } from '../decisions/order-check.js';
import { anomalyChecksOn } from '../decisions/order-anomaly-policy.js';
import { findLedgerEntry, recordLedgerEntry } from '../store/ledger.js';
import { allMappingRows } from '../store/mappings.js';
import type { StatusMappingRow } from '../store/schemas/mapping-tables.js';
import type { ActivityDependencies } from './dependencies.js';
import type { LedgerSnapshot, LoadTenantSettingsInput, OrderCheck, OrderSyncPlan } from '../workflows/order-to-cash-contract.js';

/** The first steps of an order: the tenant's settings and the ledger's memory, then the gate and balance check. */
export function createOrderIntakeActivities(deps: ActivityDependencies) {
  return {
    async loadTenantSettings(input: LoadTenantSettingsInput): Promise<OrderSyncPlan> {
      const { settings, settingsVersion } = await deps.connections.forTenant(input.tenantId);
      const key = (entity: 'order' | 'payment' | 'invoice') => ({ tenantId: input.tenantId, entity, externalId: input.orderId });
      const [order, payment, invoice] = await Promise.all([
        findLedgerEntry(deps.db, key('order')),
        findLedgerEntry(deps.db, key('payment')),
        findLedgerEntry(deps.db, key('invoice')),
      ]);
      // A posted order keeps the settings version it was posted with; anything else is stamped with this run's.
      if (order === null || (order.state !== 'synced' && order.state !== 'cancelled')) {
        await recordLedgerEntry(deps.db, key('order'), { settingsVersion, workflowId: input.workflowId });
      }
      const ledger: LedgerSnapshot = {
        state: order?.state ?? 'new',
        ...(order?.intacctDocumentId !== undefined && order.state !== 'cancelled' && { salesDocumentId: order.intacctDocumentId }),
        ...(order?.arInvoiceKey !== undefined && { arInvoiceKey: order.arInvoiceKey }),
        ...(payment?.intacctKey !== undefined && payment.state === 'synced' && { paymentKey: payment.intacctKey }),
        ...(invoice?.intacctDocumentId !== undefined && invoice.state === 'synced' && { invoiceDocumentId: invoice.intacctDocumentId }),
        ...(order?.storefrontModifiedAt !== undefined && { storefrontStamp: order.storefrontModifiedAt }),
      };
      const { orderSync } = settings;
      return {
        settingsVersion,
        transactionDefinition: orderSync.transactionDefinition,
        waitForStatusHours: orderSync.waitForStatusHours,
        fulfilment: { ...orderSync.fulfilment },
        onPermanentFailure: orderSync.onPermanentFailure,
        ...(anomalyChecksOn(settings.anomalyChecks) && { anomalyChecks: true }),
        ledger,
      };
    },

    async checkOrder(input: { tenantId: string; order: OrderWithoutContacts }): Promise<OrderCheck> {
      const { settings } = await deps.connections.forTenant(input.tenantId);
      const statusRows = (await allMappingRows(deps.db, input.tenantId, 'statuses')).map((document) => document.row as StatusMappingRow);
      return checkOrder(input.order, settings.orderSync, statusRows);
    },
  };
}
