import type { ApplicationFailure } from '@temporalio/common';
import type { SalesDocumentInput } from '../connectors/intacct/functions/create-sotransaction.js';
import { resolveDimensions } from '../mappers/dimensions.js';
import { toDocumentContacts } from '../mappers/document-contacts.js';
import { SalesDocumentMappingError, toIntacctSalesDocument } from '../mappers/to-intacct-sales-document.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import { flowFailure } from './flow-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { readMappingTable } from './mapping-rows.js';
import type { BuildSalesDocumentInput, OrderToCashActivities } from '../workflows/order-to-cash-contract.js';

/** The non-retryable failure listing every problem, for the workflow to park the order with. */
export function salesDocumentMappingFailureOf(orderId: string, problems: readonly string[]): ApplicationFailure {
  return flowFailure(orderToCashFailures, 'SalesDocumentMappingError', new SalesDocumentMappingError(orderId, problems).message, {
    details: { problems: [...problems] },
  });
}

/**
 * `buildSalesDocument`: the order as the tenant's sales document. Reads the settings, the
 * adjustment items, the dimension, tax-rate and shipping-method tables, then maps purely: dimensions, lines and header,
 * bill-to and ship-to contacts. Every problem found (currency, dimensions, items, adjustments,
 * balance) is reported at once, so one fix-and-retry round is enough.
 */
export function createSalesDocumentMappingActivities(deps: ActivityDependencies): Pick<OrderToCashActivities, 'buildSalesDocument'> {
  async function buildSalesDocument(input: BuildSalesDocumentInput): Promise<SalesDocumentInput & { referenceNumber: string }> {
    const { order } = input;
    const { settings } = await deps.connections.forTenant(input.tenantId);
    const { orderSync } = settings;
    const taxByRate = orderSync.adjustments.tax === 'perLine' || orderSync.adjustments.tax === 'perJurisdiction';
    const [adjustmentItems, dimensionRows, taxRates, shippingMethods] = await Promise.all([
      readMappingTable(deps.db, input.tenantId, 'adjustmentItems'),
      orderSync.dimensionRules.some((rule) => rule.from !== 'constant')
        ? readMappingTable(deps.db, input.tenantId, 'dimensionRules')
        : Promise.resolve([]),
      taxByRate ? readMappingTable(deps.db, input.tenantId, 'taxRates') : Promise.resolve([]),
      order.attributes.shippingMethod === undefined ? Promise.resolve([]) : readMappingTable(deps.db, input.tenantId, 'shippingMethods'),
    ]);

    const problems: string[] = [];
    const expectedCurrency = orderSync.currency.orderCurrency;
    if (expectedCurrency !== undefined && order.currency !== expectedCurrency) {
      problems.push(
        `the order is in ${order.currency} but the tenant takes orders in ${expectedCurrency} (orderSync.currency.orderCurrency)`,
      );
    }
    const { dimensions, problems: dimensionProblems } = resolveDimensions(orderSync.dimensionRules, dimensionRows, order);
    problems.push(...dimensionProblems);

    let document: SalesDocumentInput | undefined;
    try {
      document = toIntacctSalesDocument({
        order,
        settings,
        customerId: input.customerId,
        items: new Map(Object.entries(input.items)),
        adjustmentItems,
        taxRates,
        shippingMethods,
        dimensions,
      });
    } catch (error) {
      if (!(error instanceof SalesDocumentMappingError)) throw error;
      problems.push(...error.problems);
    }
    if (document === undefined || problems.length > 0) throw salesDocumentMappingFailureOf(order.orderId, problems);

    const { billTo, shipTo } = toDocumentContacts(order);
    return { ...document, ...(shipTo !== undefined && { shipTo }), billTo, referenceNumber: order.orderId };
  }

  return { buildSalesDocument: withConnectorFailures(buildSalesDocument) };
}
