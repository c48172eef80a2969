import { bigCommerceWebhookScopes } from '../connectors/bigcommerce/schemas/hooks.js';
import { clarityEventTypes } from '../connectors/clarity/index.js';
import {
  checkBigCommerceHooks,
  checkClaritySubscriptions,
  storefrontWebhookAttention,
  type StorefrontWebhookFinding,
} from '../decisions/storefront-webhook-health.js';
import { closeAttention, openAttention } from './attention-events.js';
import type { CheckStorefrontWebhooksInput, StorefrontWebhookCheck, WebhookHealthActivities } from '../workflows/order-sweep-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';

/**
 * One attention item per tenant for its storefront webhooks, raised again with each finding (the
 * item keeps when it first opened). `tenant` because the problem is the tenant's connection, not
 * one order's.
 */
export const storefrontWebhooksAttentionKey = { entity: 'tenant', externalId: 'storefront-webhooks' } as const;

/**
 * The sweep's check of the tenant's storefront webhooks: storefronts switch off a receiver that
 * keeps failing and then send nothing, which the sweep alone would make up for only at its
 * interval and nobody would be told of.
 */
export function createWebhookHealthActivities(deps: ActivityDependencies) {
  /**
   * Lists the webhooks pointing at the tenant's receiver, re-activates the BigCommerce hooks the
   * store deactivated (idempotent: `is_active: true` again changes nothing), and raises an
   * attention item for each repair or problem, or resolves the open one when all is well.
   * Recreating a deleted webhook needs the receiver's public URL and secret, which the worker
   * does not hold: that is left to the register route the item names.
   */
  async function checkStorefrontWebhooks(input: CheckStorefrontWebhooksInput): Promise<StorefrontWebhookCheck> {
    const { tenantId } = input;
    const storefront = await (await deps.connections.forTenant(tenantId)).storefront();
    let finding: StorefrontWebhookFinding;
    if (storefront.kind === 'bigcommerce') {
      const hooks = await storefront.client.hooks.listHooks();
      const check = checkBigCommerceHooks({
        tenantId,
        hooks: hooks.map((hook) => ({
          id: hook.id,
          scope: hook.scope,
          destination: hook.destination,
          isActive: hook.is_active,
          createdAt: hook.created_at,
        })),
        scopes: bigCommerceWebhookScopes,
      });
      for (const hook of check.reactivate) await storefront.client.hooks.updateHook(hook.id, { is_active: true });
      finding = check;
    } else {
      const subscriptions = await storefront.client.listWebhooks();
      finding = checkClaritySubscriptions({ tenantId, subscriptions, events: clarityEventTypes });
    }

    const key = { tenantId, ...storefrontWebhooksAttentionKey };
    const attention = storefrontWebhookAttention(tenantId, finding);
    if (attention.action === 'raise') {
      await openAttention(deps, {
        ...key,
        code: attention.code,
        reason: attention.reason,
        fix: attention.fix,
        details: attention.details,
        workflowId: input.workflowId,
      });
    } else {
      await closeAttention(deps, key, `sweep ${input.workflowId} (webhooks healthy)`);
    }
    return {
      checked: finding.checked,
      reactivated: finding.reactivated.length,
      missing: finding.missing.length,
      disabled: finding.disabled.length,
      ...(attention.action === 'raise' && { attention: attention.code }),
    };
  }

  return { checkStorefrontWebhooks: withConnectorFailures(checkStorefrontWebhooks) } satisfies WebhookHealthActivities;
}
