import type { OrderRef } from '../shared-contract.js';
import type { CanonicalOrder } from '../../mappers/canonical-order.js';
import type { OrderToCashStep, ShipmentInvoice } from '../order-to-cash-contract.js';
import type { StepText } from '../shared/parking.js';

/** What the texts name: the order and its storefront. */
interface Subject {
  ref: OrderRef;
  storefrontName: string;
}

/**
 * Each step of an order: the status it shows, its line in Temporal's UI, its failure in words
 * and its activity's summary.
 */
export const orderStep = {
  fetchOrder: ({ ref, storefrontName }: Subject): StepText<OrderToCashStep> => ({
    step: 'loading',
    label: `Fetch order ${ref.orderId} from ${storefrontName}`,
    failure: 'fetching the order from the storefront',
    summary: `Fetch order ${ref.orderId} from ${storefrontName}`,
  }),
  checkOrder: (order: CanonicalOrder): StepText<OrderToCashStep> => ({
    step: 'checking',
    label: 'Check status and totals',
    failure: 'checking the order',
    summary: `Check status ${order.status} and totals`,
  }),
  checkAnomalies: (order: CanonicalOrder): StepText<OrderToCashStep> => ({
    step: 'checking',
    label: 'Check for anomalies',
    failure: 'checking the order for anomalies',
    summary: `Check order ${order.orderId} against the tenant's usual orders`,
  }),
  resolveCustomer: (order: CanonicalOrder): StepText<OrderToCashStep> => ({
    step: 'resolving_customer',
    label: 'Resolve the Intacct customer',
    failure: 'resolving the customer',
    summary:
      order.customer.kind === 'guest'
        ? 'Resolve the Intacct customer for a guest order'
        : `Resolve storefront customer ${order.customer.customerId} to an Intacct customer`,
  }),
  resolveItems: (order: CanonicalOrder): StepText<OrderToCashStep> => ({
    step: 'resolving_items',
    label: 'Resolve the Intacct items',
    failure: 'resolving the items',
    summary: `Resolve ${order.lines.length} line(s) to Intacct items`,
  }),
  buildSalesDocument: (transactionDefinition: string): StepText<OrderToCashStep> => ({
    step: 'creating_sales_document',
    label: 'Map to the sales document',
    failure: 'mapping the order to a sales document',
    summary: `Map to a ${transactionDefinition}`,
  }),
  createSalesDocument: ({ ref }: Subject, transactionDefinition: string, lines: number): StepText<OrderToCashStep> => ({
    step: 'creating_sales_document',
    label: `Create the ${transactionDefinition}`,
    failure: 'creating the sales document',
    summary: `Create ${transactionDefinition} for order ${ref.orderId} (${lines} lines)`,
  }),
  recordPayment: ({ ref }: Subject, order: CanonicalOrder): StepText<OrderToCashStep> => ({
    step: 'recording_payment',
    label: 'Record the payment',
    failure: 'recording the payment',
    summary: `Record the ${order.paymentMethod ?? 'storefront'} payment of order ${ref.orderId}`,
  }),
  writeBack: ({ storefrontName }: Subject, salesDocumentId: string): StepText<OrderToCashStep> => ({
    step: 'writing_back',
    label: `Write back to ${storefrontName}`,
    failure: 'writing the document number back to the storefront',
    summary: `Write ${salesDocumentId} back to ${storefrontName}`,
  }),
  fetchAfterChange: ({ ref, storefrontName }: Subject): StepText<OrderToCashStep> => ({
    step: 'awaiting_fulfilment',
    label: `Fetch order ${ref.orderId} from ${storefrontName} after a change`,
    failure: 'fetching the changed order from the storefront',
    summary: `Fetch order ${ref.orderId} from ${storefrontName} after a change`,
  }),
  // No summary: the check after a change never had one.
  checkAfterChange: (): StepText<OrderToCashStep> => ({
    step: 'awaiting_fulfilment',
    label: 'Check the changed order',
    failure: 'checking the changed order',
  }),
  lookForShipments: (salesDocumentId: string): StepText<OrderToCashStep> => ({
    step: 'awaiting_fulfilment',
    label: `Look for shipments of ${salesDocumentId}`,
    failure: `looking for shipments of ${salesDocumentId}`,
    summary: `Look for shipments of ${salesDocumentId}`,
  }),
  addTracking: ({ storefrontName }: Subject, trackingNumber: string | undefined): StepText<OrderToCashStep> => ({
    step: 'awaiting_fulfilment',
    label: `Add tracking ${trackingNumber ?? ''} to ${storefrontName}`,
    failure: `adding tracking ${trackingNumber ?? ''} to the storefront`,
    summary: `Add tracking ${trackingNumber ?? ''} to ${storefrontName}`,
  }),
  convertToInvoice: (salesDocumentId: string, invoiceDefinition: string): StepText<OrderToCashStep> => ({
    step: 'awaiting_fulfilment',
    label: `Convert ${salesDocumentId} to a ${invoiceDefinition}`,
    failure: `converting ${salesDocumentId} to a ${invoiceDefinition}`,
    summary: `Convert ${salesDocumentId} to a ${invoiceDefinition}`,
  }),
  invoiceShipment: (salesDocumentId: string, invoiceDefinition: string, shipment: ShipmentInvoice): StepText<OrderToCashStep> => {
    const units = shipment.lines.reduce((sum, line) => sum + line.quantity, 0);
    const what = `shipment ${shipment.trackingNumber ?? shipment.shipmentId} (${units} unit(s))`;
    return {
      step: 'awaiting_fulfilment',
      label: `Invoice ${what} of ${salesDocumentId}`,
      failure: `converting ${what} of ${salesDocumentId} to a ${invoiceDefinition}`,
      summary: `Convert ${what} of ${salesDocumentId} to a ${invoiceDefinition}`,
    };
  },
};

/** The summaries of the activities that run outside a step: bookkeeping, looks and courtesies. */
export const orderSummary = {
  loadSettings: (ref: OrderRef) => `Load tenant ${ref.tenantId}'s settings and the ledger`,
  detectChange: ({ ref, storefrontName }: Subject) => `Has order ${ref.orderId} changed in ${storefrontName}?`,
  park: (code: string) => `Park: ${code}`,
  markState: ({ storefrontName }: Subject, state: string) => `Mark the order ${state.replaceAll('_', ' ')} in ${storefrontName}`,
  wakeRefunds: ({ ref }: Subject) => `Wake refunds waiting for order ${ref.orderId}`,
};
