import { z } from 'zod';
import { sandboxGuestMappingKeyRing } from '../../config/index.js';
import { GuestMappingKeys } from '../../store/guest-mapping-keys.js';
import { eraseShopper, workflowIdsOfOrders } from '../../store/personal-data.js';
import { deleteClosedExecutions } from './erasure-histories.js';
import { withTemporal } from './temporal-access.js';
import { HttpError } from '../errors.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';

const text = (label: string) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .min(3, `${label} needs at least 3 characters`)
    .max(200);

const erasureBody = z.strictObject({
  /** The shopper's email as the store holds it (guests are known by it alone). */
  email: text('email').optional(),
  /** Names as the shopper gave them (first, last, the full name, a company). */
  names: z.array(text('names')).max(10).optional(),
  phones: z.array(text('phones')).max(5).optional(),
  /** Street lines of their billing and shipping addresses. */
  addressLines: z.array(text('addressLines')).max(10).optional(),
  /** The shopper's storefront order ids: the closed workflow executions of these orders (and their refunds) are deleted from Temporal. */
  orderIds: z.array(z.string().trim().min(1).max(100)).max(500).optional(),
});

const erasureView = z.object({
  /** Records whose stored text quoted the shopper, now reading `[erased]` there. */
  redacted: z.object({
    attentionItems: z.number().int(),
    ledgerEntries: z.number().int(),
    alerts: z.number().int(),
    deadLetters: z.number().int(),
    auditEntries: z.number().int(),
  }),
  /** Customer mapping rows keyed by the shopper's email (its keyed hash, or the plain email of older rows), deleted. */
  deletedMappingRows: z.number().int(),
  /** The Temporal executions of the orders named in `orderIds` (absent when none were named). */
  workflowExecutions: z
    .object({
      /** Closed executions deleted, history and all. */
      deleted: z.array(z.object({ workflowId: z.string(), runId: z.string() })),
      /** Executions still running: kept (the order is in flight); ask again once they closed. */
      open: z.array(z.object({ workflowId: z.string(), runId: z.string() })),
    })
    .optional(),
  /** What was kept, and why. */
  kept: z.array(z.string()),
});

/**
 * `POST /tenants/{tenantId}/customers/{customerId}/erasure`: a shopper's erasure request. The
 * customer id is the storefront's (`guest` for a shopper without an account); the body says how
 * stored text names them. The answer reports what changed and what was kept.
 */
export function registerErasureRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  const guestKeys = deps.guestMappingKeys ?? new GuestMappingKeys(sandboxGuestMappingKeyRing());
  router.add({
    method: 'post',
    path: '/tenants/:tenantId/customers/:customerId/erasure',
    summary:
      "Erase one storefront customer's personal data from what the product keeps (attention items, ledger messages, alerts, dead letters, audit log, email-keyed customer mappings); accounting facts are kept",
    tag: 'tenants',
    role: 'admin',
    params: tenantParams.extend({ customerId: z.string().trim().min(1).max(200) }),
    body: erasureBody,
    response: erasureView,
    handler: async ({ params, body, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const { orderIds, ...identifiers } = body;
      if (
        identifiers.email === undefined &&
        !identifiers.names?.length &&
        !identifiers.phones?.length &&
        !identifiers.addressLines?.length &&
        !orderIds?.length
      )
        throw new HttpError(400, 'nothing_to_erase', 'name the shopper: email, names, phones, addressLines or orderIds');
      // Temporal is asked first: without it (503) nothing is erased and the request can be repeated whole.
      const workflowIds = orderIds?.length ? await workflowIdsOfOrders(deps.db, tenant._id, orderIds) : undefined;
      const workflowExecutions =
        workflowIds === undefined ? undefined : await withTemporal(deps, ({ client }) => deleteClosedExecutions(client, workflowIds));
      const erased = await eraseShopper(deps.db, tenant._id, { customerId: params.customerId, ...identifiers }, guestKeys);
      // The audit entry counts what changed; it never repeats the identifiers it was asked to erase.
      await audit(
        deps.db,
        { principal, requestId },
        {
          tenantId: tenant._id,
          action: 'customer.erasure',
          target: params.customerId.includes('@') ? 'customer:(email)' : `customer:${params.customerId}`,
          details: {
            ...erased,
            ...(workflowExecutions && {
              deletedExecutions: workflowExecutions.deleted.length,
              openExecutions: workflowExecutions.open.length,
            }),
          },
        },
      );
      const { mappingRows, ...redacted } = erased;
      return {
        redacted,
        deletedMappingRows: mappingRows,
        ...(workflowExecutions && { workflowExecutions }),
        kept: [
          'ledger entries, Intacct document and customer keys, amounts, codes and ids: the accounting facts',
          'customer mapping rows keyed by a customer id (an id, not contact data)',
          workflowExecutions
            ? "Temporal executions still running (listed under workflowExecutions.open) and those of orders not named in orderIds: their payloads and failure messages are encrypted (PAYLOAD_CODEC_KEYS) and leave with the namespace's retention"
            : "Temporal histories (name the shopper's orderIds to delete their closed executions): their payloads and failure messages are encrypted (PAYLOAD_CODEC_KEYS) and leave with the namespace's retention",
          'Intacct and the storefront: erase the customer there with their own tools',
        ],
      };
    },
  });
}
