import type { ApplicationFailure } from '@temporalio/common';
import type { SalesDocumentInput } from '../connectors/intacct/functions/create-sotransaction.js';
import { resolveDimensions } from '../mappers/dimensions.js';
import { toDocumentContacts } from '../mappers/document-contacts.js';
import { evaluateOrderRules, type RuleDecisions, type RuleHold } from '../mappers/order-rules.js';
import { SalesDocumentMappingError, toIntacctSalesDocument } from '../mappers/to-intacct-sales-document.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import { flowFailure } from './flow-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { readMappingTable } from './mapping-rows.js';
import type { BuildSalesDocumentInput, OrderToCashActivities, PostableSalesDocument } from '../workflows/order-to-cash-contract.js';

/** The non-retryable failure listing every problem, for the workflow to park the order with. */
export function salesDocumentMappingFailureOf(orderId: string, problems: readonly string[]): ApplicationFailure {
  return flowFailure(orderToCashFailures, 'SalesDocumentMappingError', new SalesDocumentMappingError(orderId, problems).message, {
    details: { problems: [...problems] },
  });
}

/** What mapping an order gave: the document when it maps, every problem that would park it, and what the rules decided. */
export interface SalesDocumentMapping {
  /** The document, carrying the entity the rules route it to (`entityId`) when they route it. */
  document?: PostableSalesDocument;
  /** The Intacct entity the tenant's rules route the document to; absent: the tenant's connection entity. */
  entityId?: string;
  /** Every problem, the rules' holds included (unless an operator approved them). */
  problems: string[];
  /** The problems that are the rules' holds for approval: an operator's approval lifts them, nothing else does. */
  holds: string[];
  rules: RuleDecisions;
}

/**
 * The order as the tenant's sales document, without throwing: reads the settings, the
 * adjustment items, the dimension, tax-rate and shipping-method tables, evaluates the tenant's
 * rules, then maps purely (dimensions, lines and header, bill-to and ship-to contacts). Every
 * problem found (currency, dimensions, items, adjustments, balance, a rule's hold) is listed, so
 * one fix-and-retry round is enough. `buildSalesDocument` and the preview both call it: the
 * preview shows exactly what the workflow would send.
 */
export async function mapSalesDocument(
  deps: Pick<ActivityDependencies, 'db' | 'connections'>,
  input: BuildSalesDocumentInput,
): Promise<SalesDocumentMapping> {
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
  const rules = evaluateOrderRules(settings.rules, order);
  const holds = input.ruleHoldsApproved === true ? [] : rules.holds.map(holdText);
  problems.push(...holds);

  let mapped: SalesDocumentInput | undefined;
  try {
    mapped = toIntacctSalesDocument({
      order,
      settings,
      customerId: input.customerId,
      items: new Map(Object.entries(input.items)),
      adjustmentItems,
      taxRates,
      shippingMethods,
      dimensions,
      rules,
    });
  } catch (error) {
    if (!(error instanceof SalesDocumentMappingError)) throw error;
    problems.push(...error.problems);
  }
  // A rule naming the connection's own entity routes nowhere new: the document keeps the connection's sign-in.
  const entityId = rules.entity?.value === settings.connection.intacct.entityId ? undefined : rules.entity?.value;
  const routed = entityId === undefined ? {} : { entityId };
  if (mapped === undefined) return { problems, holds, rules, ...routed };
  const { billTo, shipTo } = toDocumentContacts(order);
  const document = { ...mapped, ...(shipTo !== undefined && { shipTo }), billTo, referenceNumber: order.orderId, ...routed };
  return { document, problems, holds, rules, ...routed };
}

function holdText(hold: RuleHold): string {
  const where = hold.lineId === undefined ? '' : ` (line ${hold.lineId})`;
  return `rule "${hold.ruleId}"${where} holds the order for approval: ${hold.reason}`;
}

/** The non-retryable failure of an order only the tenant's rules hold: an operator's approval posts it. */
function ruleHoldFailureOf(orderId: string, holds: readonly string[]): ApplicationFailure {
  return flowFailure(orderToCashFailures, 'RuleHold', `order ${orderId} waits for approval: ${holds.join('; ')}`, {
    details: { holds: [...holds] },
  });
}

/** `buildSalesDocument`: {@link mapSalesDocument}, failing non-retryably with every problem when there is any. */
export function createSalesDocumentMappingActivities(deps: ActivityDependencies): Pick<OrderToCashActivities, 'buildSalesDocument'> {
  async function buildSalesDocument(input: BuildSalesDocumentInput): Promise<PostableSalesDocument> {
    const { document, problems, holds } = await mapSalesDocument(deps, input);
    // Holds alone wait for an operator's approval; anything else needs a fix first (the holds listed with it).
    if (document !== undefined && holds.length > 0 && problems.length === holds.length) throw ruleHoldFailureOf(input.order.orderId, holds);
    if (document === undefined || problems.length > 0) throw salesDocumentMappingFailureOf(input.order.orderId, problems);
    return document;
  }

  return { buildSalesDocument: withConnectorFailures(buildSalesDocument) };
}
