import type { CanonicalOrder } from '../mappers/canonical-order.js';
import { intacctCustomerIdFor, shopperKeysOf } from '../mappers/customer-record.js';
import type { OrderPreview, OrderPreviewActivities, OrderPreviewInput, PreviewCustomer } from '../workflows/order-preview-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';
import type { ActivityDependencies } from './dependencies.js';
import { withConnectorFailures } from './connector-failure.js';
import { createItemActivities } from './items.js';
import { readMappingRow } from './mapping-rows.js';
import { createOrderIntakeActivities } from './order-intake.js';
import { mapSalesDocument } from './sales-document-mapping.js';
import { createStorefrontOrderActivities } from './storefront-orders.js';

/**
 * Previews OrderToCash's posting without writing anything anywhere: the same activities the
 * workflow runs (the storefront read, the order check, item resolution, the sales document
 * mapping) minus the writes. The customer is the one thing resolved apart, because the
 * workflow's resolution remembers and creates customers: the preview takes the customers
 * mapping table and the guest customer, and otherwise says the workflow would match or create one.
 */
export function createOrderPreview(deps: Pick<ActivityDependencies, 'db' | 'connections'>) {
  const intake = createOrderIntakeActivities(deps);
  const items = createItemActivities(deps);
  const storefront = createStorefrontOrderActivities(deps);

  async function customerOf(tenantId: string, order: CanonicalOrder, given: string | undefined): Promise<PreviewCustomer> {
    if (given !== undefined) return { customerId: given, source: 'given' };
    const keys = shopperKeysOf(order);
    for (const key of [keys.storefrontCustomerId, keys.email]) {
      if (key === undefined) continue;
      const row = await readMappingRow(deps.db, tenantId, 'customers', key);
      if (row !== undefined) return { customerId: row.intacctCustomerId, source: 'mapping' };
    }
    const { guestOrders } = (await deps.connections.forTenant(tenantId)).settings.orderSync;
    if (order.customer.kind === 'guest' && guestOrders.enabled && guestOrders.customerId !== undefined)
      return { customerId: guestOrders.customerId, source: 'guest' };
    const created = intacctCustomerIdFor(order.storefront, keys);
    return {
      ...(created !== undefined && { customerId: created }),
      source: 'matchOrCreate',
      note: 'the workflow looks the shopper up in Intacct by the customer match key and may create the customer; the preview shows the id it would create',
    };
  }

  /** The preview of an order as given (a pasted canonical order). */
  async function previewCanonicalOrder(input: { tenantId: string; order: CanonicalOrder; customerId?: string }): Promise<OrderPreview> {
    const { tenantId, order } = input;
    const [check, customer, resolution] = await Promise.all([
      intake.checkOrder({ tenantId, order }),
      customerOf(tenantId, order, input.customerId),
      items.resolveItems({ tenantId, order }),
    ]);
    const problems: string[] = [];
    if (check.action === 'park') problems.push(check.attention.reason);
    else if (check.action !== 'sync') problems.push(`the order would not be posted now (${check.action}): ${check.reason}`);
    if (!resolution.resolved) problems.push(resolution.attention.reason);
    if (customer.customerId === undefined)
      problems.push('the shopper has neither customer id nor email, so no customer can be matched or created');
    const mapping = await mapSalesDocument(deps, {
      tenantId,
      order,
      customerId: customer.customerId ?? '',
      items: resolution.resolved ? resolution.items : {},
    });
    // Lines without items are already named by the item resolution's reason.
    problems.push(
      ...(resolution.resolved ? mapping.problems : mapping.problems.filter((problem) => !/ has no Intacct item$/.test(problem))),
    );
    return {
      order,
      check,
      customer,
      items: resolution,
      ...(mapping.entityId !== undefined && { entityId: mapping.entityId }),
      ...(mapping.document !== undefined && { document: mapping.document }),
      rules: mapping.rules,
      problems,
    };
  }

  /** The preview of a storefront order as the store has it now (reads only). */
  async function previewStorefrontOrder(input: OrderRef & { customerId?: string }): Promise<OrderPreview> {
    const { storefrontStamp: _stamp, ...order } = await storefront.fetchStorefrontOrder(input);
    return previewCanonicalOrder({
      tenantId: input.tenantId,
      order,
      ...(input.customerId !== undefined && { customerId: input.customerId }),
    });
  }

  return { previewCanonicalOrder, previewStorefrontOrder };
}

/** `previewOrder`, OrderPreview's one activity. */
export function createOrderPreviewActivities(deps: Pick<ActivityDependencies, 'db' | 'connections'>): OrderPreviewActivities {
  const preview = createOrderPreview(deps);
  return {
    previewOrder: withConnectorFailures(async (input: OrderPreviewInput): Promise<OrderPreview> => {
      const customer = input.customerId === undefined ? {} : { customerId: input.customerId };
      return input.kind === 'canonical'
        ? preview.previewCanonicalOrder({ tenantId: input.tenantId, order: input.order, ...customer })
        : preview.previewStorefrontOrder({ tenantId: input.tenantId, storefront: input.storefront, orderId: input.orderId, ...customer });
    }),
  };
}
