import type { ErrorRequestHandler, Response } from 'express';
import type { ZodError } from 'zod';
import type { Logger } from '../../config/logger.js';
import { HttpError, type ErrorBody } from '../errors.js';
import { unavailableRetryAfterSeconds, type StoreDeadline } from './delivery-acceptance.js';
import type { WebhookSecretSource, WebhookSender } from './ports.js';

/**
 * What the receivers that answer in their own JSON (Clarity's and Stripe's) share: the
 * acknowledgement, the error body, the refusals of the body guards, and the check of a
 * delivery against a tenant's secrets. BigCommerce's receiver answers through the app's error
 * handler instead, and shares only the secrets check.
 */

/** 200: the event is accepted (or recognised as a duplicate or of no interest); the sender stops retrying. */
export function acknowledge(response: Response, outcome: string): void {
  response.status(200).json({ received: true, outcome });
}

export function replyError(response: Response, status: number, code: string, message: string): void {
  response
    .status(status)
    .json({ error: { code, message, requestId: response.locals.requestId as string | undefined } } satisfies ErrorBody);
}

/** A 503 with Retry-After: the sender delivers again, so the event is not lost. */
export function replyRetryLater(response: Response, retryAfterSeconds: number, code: string, message: string): void {
  response.setHeader('Retry-After', String(retryAfterSeconds));
  replyError(response, 503, code, message);
}

/** A validation failure's first issues as one line, for a 400 that says what is wrong. */
export function describeIssues(error: ZodError, atMost = 5): string {
  return error.issues
    .slice(0, atMost)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/**
 * The guards' and the raw-body reader's refusals (not JSON, too large, bad encoding) and
 * anything unexpected, as JSON. The unexpected is ours (the secret source or the delivery log
 * failing), not the caller's: 503, so the sender retries.
 */
export function webhookBodyErrors(logger: Logger | undefined, receiver: string): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpError) return replyError(response, error.status, error.code, error.message);
    const status = (error as { status?: number }).status;
    if (status === 413) return replyError(response, 413, 'payload_too_large', 'the body exceeds the size limit');
    if (status === 415) return replyError(response, 415, 'unsupported_media_type', 'unsupported content encoding or charset');
    if (typeof status === 'number' && status >= 400 && status < 500)
      return replyError(response, 400, 'bad_request', 'the request body could not be read');
    logger?.error({ err: error, path: request.path }, `${receiver} webhook failed`);
    return replyRetryLater(response, unavailableRetryAfterSeconds, 'unavailable', 'the event could not be accepted now; retry later');
  };
}

/** Whether a delivery verified under a tenant's secrets; `known`: the tenant has such secrets at all. */
export interface SecretsCheck {
  known: boolean;
  authentic: boolean;
}

/**
 * Checks a delivery with `verify` against the tenant's secrets as the source answers them, and,
 * before refusing, once more against a fresh read: cached secrets may predate a rotation or the
 * tenant's re-enabling moments ago. `verify` is called even when the tenant has none (with an
 * empty list), so a receiver can spend the same work on an unknown tenant as on a known one.
 * Each read counts against the delivery's database deadline.
 */
export async function checkAgainstTenantSecrets(
  source: WebhookSecretSource,
  tenantId: string,
  sender: WebhookSender,
  deadline: StoreDeadline,
  verify: (secrets: readonly string[]) => boolean,
): Promise<SecretsCheck> {
  const check = (secrets: readonly string[] | undefined): SecretsCheck => {
    const accepted = secrets ?? [];
    const verified = verify(accepted);
    return { known: accepted.length > 0, authentic: accepted.length > 0 && verified };
  };
  const cached = check(await deadline.wait(() => source.webhookSecrets(tenantId, sender)));
  if (cached.authentic) return cached;
  return check(await deadline.wait(() => source.webhookSecrets(tenantId, sender, { fresh: true })));
}
