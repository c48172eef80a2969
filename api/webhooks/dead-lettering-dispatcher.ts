import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import type { Logger } from '../../config/logger.js';
import type { WebhookDeadLetters, WorkflowDispatcher } from './ports.js';

/**
 * gRPC codes with which Temporal refuses a request itself rather than failing to answer it:
 * INVALID_ARGUMENT (a workflow id over the length limit, a search attribute the namespace does
 * not define, a payload over the size limit). The same request is refused every time, so
 * retrying it cannot help. UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED and the rest are
 * left to the storefront's retries.
 */
const refusalCodes: ReadonlySet<number> = new Set([3 /* INVALID_ARGUMENT */]);

/**
 * Temporal's reason when `error` is a refusal of the request as invalid, or undefined for any
 * other failure (unreachable, overloaded, timed out, a bug of ours).
 */
export function temporalRefusal(error: unknown): string | undefined {
  const grpc = isGrpcServiceError(error)
    ? error
    : error instanceof ServiceError && isGrpcServiceError(error.cause)
      ? error.cause
      : undefined;
  if (grpc === undefined || !refusalCodes.has(grpc.code)) return undefined;
  return grpc.details || grpc.message;
}

/**
 * A dispatcher that keeps the events Temporal refuses as invalid as dead letters and reports
 * them `dead-lettered`, so the receiver acknowledges them: a 503 would have the store retry a
 * delivery that can never be accepted until it deactivates the hook. Every other failure is
 * passed on (the receiver answers 503 and the store retries); so is a failure to keep the
 * dead letter, so the event is never acknowledged without being kept.
 */
export function deadLetteringDispatcher(
  dispatcher: WorkflowDispatcher,
  deadLetters: WebhookDeadLetters,
  logger?: Logger,
): WorkflowDispatcher {
  return {
    async dispatch(event) {
      try {
        return await dispatcher.dispatch(event);
      } catch (error) {
        const reason = temporalRefusal(error);
        if (reason === undefined) throw error;
        await deadLetters.deadLetter(event, reason);
        logger?.warn(
          { tenantId: event.tenantId, storefront: event.storefront, deliveryId: event.deliveryId, topic: event.topic, reason },
          'webhook event refused by Temporal as invalid; kept as a dead letter for replay',
        );
        return 'dead-lettered';
      }
    },
  };
}
