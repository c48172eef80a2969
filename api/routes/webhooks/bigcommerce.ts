import { Router, type Request } from 'express';
import { HttpError } from '../../errors.js';
import type { WebhookReceiverDependencies } from '../../webhooks/ports.js';
import { bigCommerceEnvelope, readEnvelope, type InventoryChange } from './bigcommerce-envelope.js';
import { rawBodyOf, rawJsonBody, readJson, secretMatches, webhookTenantIdPattern } from './request-guards.js';

/**
 * The custom header the product sets when it registers a hook (`headers` of `POST /v3/hooks`);
 * BigCommerce sends it back verbatim on every callback.
 */
export const bigCommerceSecretHeader = 'X-Webhook-Secret';

/**
 * Recognises inventory callbacks caused by the product's own absolute writes (echoes), so the
 * stock push does not start a reconciliation of itself.
 */
export interface OwnInventoryWrites {
  isOwnWrite(tenantId: string, change: InventoryChange): Promise<boolean>;
}

export interface BigCommerceReceiverOptions {
  /** Largest body accepted; BigCommerce's callbacks are a few hundred bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  ownInventoryWrites?: OwnInventoryWrites;
}

const unauthorised = () => new HttpError(401, 'unauthorized', 'webhook authentication failed');

/**
 * `POST /webhooks/bigcommerce/:tenantId`: authenticates the secret header against the
 * tenant's secrets (401 for a wrong secret and an unknown tenant alike), validates the
 * envelope (400 with the reason), acknowledges duplicates and unsynced scopes without
 * starting anything, and answers 200 once the dispatcher accepted the event (503 when it
 * could not, so BigCommerce retries).
 */
export function bigCommerceWebhookRoutes(deps: WebhookReceiverDependencies, options: BigCommerceReceiverOptions = {}): Router {
  const router = Router();

  const authenticate = async (request: Request): Promise<string> => {
    const tenantId = String(request.params.tenantId);
    if (!webhookTenantIdPattern.test(tenantId)) throw unauthorised();
    let secrets: string[] | undefined;
    try {
      secrets = await deps.secrets.webhookSecrets(tenantId, 'bigcommerce');
    } catch {
      throw new HttpError(503, 'unavailable', 'the webhook could not be checked; retry later');
    }
    if (!secretMatches(request.get(bigCommerceSecretHeader), secrets ?? [])) throw unauthorised();
    return tenantId;
  };

  const guards = rawJsonBody({ limitBytes: options.maxBodyBytes ?? 64 * 1024, unsupportedMediaTypeMessage: 'webhooks must be sent as application/json', bodyless: 'pass-when-typed' });

  router.post('/webhooks/bigcommerce/:tenantId', ...guards, async (request, response) => {
    const tenantId = await authenticate(request);
    const json = readJson(rawBodyOf(request.body));
    if (!json.ok) throw new HttpError(400, 'invalid_json', `body is not valid JSON: ${json.reason}`);
    const envelope = bigCommerceEnvelope.safeParse(json.value);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      throw new HttpError(400, 'invalid_webhook', `invalid BigCommerce webhook: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    const reading = readEnvelope(tenantId, envelope.data);
    if (reading.kind === 'invalid') throw new HttpError(400, 'invalid_webhook', `invalid BigCommerce webhook: ${reading.reason}`);
    if (reading.kind === 'ignored') {
      response.status(200).json({ outcome: 'ignored' });
      return;
    }
    const { event } = reading;
    // An echo that cannot be recognised is dispatched: a needless reconciliation beats a lost change.
    const ownWrite = reading.inventory?.method === 'absolute' && options.ownInventoryWrites ? await options.ownInventoryWrites.isOwnWrite(tenantId, reading.inventory).catch(() => false) : false;
    if (ownWrite) {
      response.status(200).json({ outcome: 'ignored' });
      return;
    }
    let first: boolean;
    try {
      first = await deps.deliveries.recordFirstDelivery(event);
    } catch {
      throw new HttpError(503, 'unavailable', 'the delivery could not be recorded; retry later');
    }
    if (!first) {
      response.status(200).json({ outcome: 'duplicate' });
      return;
    }
    try {
      const outcome = await deps.dispatcher.dispatch(event);
      response.status(200).json({ outcome });
    } catch {
      // Forget the delivery so BigCommerce's retry counts as new, whichever instance gets it.
      await deps.deliveries.releaseDelivery(event).catch(() => undefined);
      throw new HttpError(503, 'unavailable', 'the event could not be accepted; retry later');
    }
  });

  return router;
}
