import { z } from 'zod';
import { formatPath, isValidTimeZone } from './fields.js';
import { alertsSchema } from './settings-alerts.js';
import { anomalyChecksSchema } from './settings-anomaly-checks.js';
import { catalogSchema } from './settings-catalog.js';
import { closeSchema } from './settings-close.js';
import { connectionSettingsSchema, type ConnectionSettingsInput } from './settings-connection.js';
import { intacctBudgetSchema } from './settings-intacct-budget.js';
import { mappingAssistantSchema } from './settings-mapping-assistant.js';
import { privacySchema } from './settings-privacy.js';
import { inventorySchema } from './settings-inventory.js';
import { orderSyncSchema } from './settings-order-sync.js';
import { returnsSchema } from './settings-returns.js';
import { orderMetafieldPrefix, productClassificationOf, productCustomFieldPrefixes, rulesSchema } from './settings-rules.js';

export { settingsDiff, type SettingsChange } from './settings-diff.js';
export {
  bigCommerceApiUrl,
  connectionSettingsSchema,
  intacctGatewayUrl,
  stripeApiUrl,
  type ConnectionSettingsInput,
} from './settings-connection.js';
export { dimensionNames, dimensionSources, type DimensionRule, type PaymentAccount } from './settings-order-documents.js';
export type { SweepSettings } from './settings-order-sync.js';
export {
  closeAccountsToCheck,
  defaultAwaitPostingsHours,
  defaultUnpaidOutAfterDays,
  gatewayCloseSettings,
  type GatewayCloseSettings,
} from './settings-close.js';
export {
  customerRuleFields,
  lineRuleFields,
  orderRuleFields,
  productClassificationFields,
  ruleDimensions,
  type ProductClassificationField,
  type Rule,
  type RuleActions,
  type RuleCondition,
  type RuleDimension,
} from './settings-rules.js';
export type { IntacctBudgetSettings } from './settings-intacct-budget.js';
export type { PrivacySettings } from './settings-privacy.js';
export type { AnomalyCheckSettings } from './settings-anomaly-checks.js';
export type { MappingAssistantSettings } from './settings-mapping-assistant.js';
export {
  customerFieldOwners,
  itemFieldOwners,
  type CatalogSettings,
  type CustomerFieldDirections,
  type CustomerGroupSettings,
  type CustomerFieldOwner,
  type CreateInStorefrontSettings,
  type ItemDefaults,
  type ItemFieldDirections,
  type ItemFieldOwner,
} from './settings-catalog.js';
export { alertRules, type AlertChannel, type AlertRule, type AlertSettings } from './settings-alerts.js';

/**
 * A tenant's settings: the union of what the commercial connectors let a merchant configure
 * (docs/architecture.md "Tenant settings"), except credentials, which are stored apart and encrypted.
 * Everything here is safe to log, show in the portal and keep in the versioned history.
 *
 * Objects are strict: a misspelt key ("guestOrder") is refused rather than silently dropped,
 * because a dropped setting would fall back to its default and post documents differently.
 */

/**
 * The tenant settings schema: accepts a partial document (only `connection` and
 * `orderSync.triggerStatuses` have no default) and yields the full settings.
 */
export const tenantSettingsSchema = z
  .strictObject({
    connection: connectionSettingsSchema,
    orderSync: orderSyncSchema.prefault({}),
    inventory: inventorySchema.prefault({}),
    /** Items and customers: who owns each field, the scheduled item sync, storefront products Intacct lacks. */
    catalog: catalogSchema.prefault({}),
    returns: returnsSchema.prefault({}),
    intacctBudget: intacctBudgetSchema.prefault({}),
    alerts: alertsSchema.prefault({}),
    privacy: privacySchema.prefault({}),
    /** Anomaly checks before an order posts: per check off, flag or hold; all off by default. */
    anomalyChecks: anomalyChecksSchema.prefault({}),
    /** Mapping suggestions: whether, and from what confidence, they apply without a person; off by default. */
    mappingAssistant: mappingAssistantSchema.prefault({}),
    /**
     * Business rules: conditions on the order, its lines and customer → entity, transaction
     * definition, dimensions, custom fields, holds. Evaluated in order; none by default.
     */
    rules: rulesSchema.default(() => []),
    /** Financial close: per payment gateway, its clearing, bank and GL accounts for payouts. Absent: no payouts are posted. */
    close: closeSchema.optional(),
    /** IANA time zone used for document dates and schedules. */
    timezone: z
      .string({ error: 'timezone must be text' })
      .refine(isValidTimeZone, { message: 'timezone must be an IANA time zone name such as Europe/London' })
      .default('UTC'),
  })
  .superRefine((settings, context) => {
    // Order metafields, product custom fields, brands and categories are BigCommerce's: on another storefront a rule naming them would never match.
    const storefront = settings.connection.storefront.kind;
    if (storefront === 'bigcommerce') return;
    const refuse = (path: Array<string | number>, what: string) =>
      context.addIssue({ code: 'custom', path, message: `${what} are read from BigCommerce; this tenant's storefront is ${storefront}` });
    for (const [index, rule] of settings.orderSync.dimensionRules.entries()) {
      if (rule.from === 'orderMetafield') refuse(['orderSync', 'dimensionRules', index, 'from'], 'order metafields');
    }
    for (const [ruleIndex, rule] of settings.rules.entries()) {
      for (const [caseIndex, ruleCase] of rule.cases.entries()) {
        const named: Array<[Array<string | number>, string]> = [
          ...ruleCase.when.map((condition, index): [Array<string | number>, string] => [['when', index, 'field'], condition.field]),
          ...Object.entries(ruleCase.set.customFieldsFrom ?? {}).map(([name, field]): [Array<string | number>, string] => [
            ['set', 'customFieldsFrom', name],
            field,
          ]),
        ];
        for (const [at, field] of named) {
          const path = ['rules', ruleIndex, 'cases', caseIndex, ...at];
          if (field.startsWith(orderMetafieldPrefix)) refuse(path, 'order metafields');
          if (productCustomFieldPrefixes.some((prefix) => field.startsWith(prefix))) refuse(path, 'product custom fields');
          if (productClassificationOf(field) !== undefined) refuse(path, 'product brands and categories');
        }
      }
    }
  });

/** Full settings, every default applied. */
export type TenantSettings = z.output<typeof tenantSettingsSchema>;
/** What a caller may send: defaults may be left out. */
export type TenantSettingsInput = z.input<typeof tenantSettingsSchema>;

/** A problem with one setting, addressed by its dotted path (`orderSync.guestOrders.customerId`). */
export interface SettingsError {
  path: string;
  message: string;
}

/** The outcome of {@link parseTenantSettings}. */
export type ParseTenantSettingsResult = { ok: true; settings: TenantSettings } | { ok: false; errors: SettingsError[] };

/** Validates and completes settings, listing every problem found with its path. */
export function parseTenantSettings(input: unknown): ParseTenantSettingsResult {
  const result = tenantSettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  return { ok: false, errors: settingsErrors(result.error) };
}

function settingsErrors(error: z.ZodError): SettingsError[] {
  return error.issues.flatMap((issue): SettingsError[] => {
    // One entry per unknown key, at the key's own path, so a portal can mark the exact field.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: `${key} is not a known setting` }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

/**
 * Statuses that trigger sync and cancel per storefront. BigCommerce ids are fixed (merchants
 * only relabel them): 11 Awaiting Fulfillment and the later paid states 9, 8, 3, 2 and 10;
 * 5 Cancelled. Clarity names its statuses.
 */
const statusDefaults = {
  bigcommerce: { triggerStatuses: ['11', '9', '8', '3', '2', '10'], cancelStatuses: ['5'] },
  clarity: { triggerStatuses: ['processing', 'fulfilled'], cancelStatuses: ['cancelled'] },
} as const satisfies Record<
  ConnectionSettingsInput['storefront']['kind'],
  { triggerStatuses: readonly string[]; cancelStatuses: readonly string[] }
>;

/**
 * The settings a new tenant starts with: every default, plus the storefront's usual
 * "ready to invoice" and "cancelled" statuses. Throws a `ZodError` when the connection
 * itself is invalid (the caller validates it first when it comes from a request).
 */
export function defaultTenantSettings(connection: ConnectionSettingsInput): TenantSettings {
  const statuses = statusDefaults[connection.storefront.kind];
  return tenantSettingsSchema.parse({
    connection,
    orderSync: { triggerStatuses: [...statuses.triggerStatuses], cancelStatuses: [...statuses.cancelStatuses] },
  });
}
