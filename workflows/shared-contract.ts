import type { StorefrontKind } from '../mappers/canonical-order.js';

/**
 * The contract pieces every flow shares: which order, what a person is told when a flow stops
 * for them, and the shape of a flow's failure catalogue. Like every `*-contract.ts` module under
 * workflows/, it holds types and plain data only, so workflows, activities, the API, workers and
 * mappers may all import it.
 */

/** Which order, of which tenant and storefront. */
export interface OrderRef {
  tenantId: string;
  storefront: StorefrontKind;
  orderId: string;
}

/** Why an order (or a refund) waits for a person, and what that person does about it. */
export interface AttentionNotice {
  /** Stable machine code: `unknown_sku`, `totals_do_not_balance`, `customer_not_found`, ... */
  code: string;
  reason: string;
  fix: string;
  details?: Record<string, unknown>;
}

/** What the attention queue says about one failure type: its stable code and what fixes it. */
export interface FailureDescription {
  code: string;
  fix: string;
}

/**
 * A flow's failure catalogue: `failures[type] = { code, fix }` for every failure type its
 * activities throw themselves (never retried: a person has to act). Activities throw them only
 * through `flowFailure`, so a type the catalogue does not describe does not compile; the
 * workflows' `describeStepFailure` reads the same catalogues. The `type` strings are recorded in
 * histories and branched on: never rename one.
 */
export type FailureCatalogue = Readonly<Record<string, FailureDescription>>;

/** Failure types of the tenant's settings and mapping tables, thrown by whichever flow reads them. */
export const tenantFailures = {
  TenantNotConfigured: {
    code: 'tenant_not_configured',
    fix: "complete the tenant's settings and credentials through the admin API, then retry the order",
  },
  PaymentAccountNotConfigured: {
    code: 'payment_account_not_configured',
    fix: 'map the payment method to an account (paymentMethods table or orderSync.payments), then retry the order',
  },
  MappingRowInvalid: {
    code: 'mapping_row_invalid',
    fix: 'correct or delete the mapping row named above (admin API mapping tables), then retry the order',
  },
  // Raised by the connector-client factory, not through flowFailure: the tenant's endpoint
  // setting names a host the installation does not allow (or one resolving to a private address).
  VendorEndpointRefusedError: {
    code: 'vendor_endpoint_refused',
    fix: "point the tenant's endpoint setting (connection.intacct.endpointUrl, connection.storefront.apiBaseUrl or baseUrl) at an endpoint this installation allows, store the credentials again, then retry the order",
  },
} as const satisfies FailureCatalogue;
