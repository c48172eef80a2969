import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { HttpError } from '../errors.js';
import type { AdminDependencies } from './context.js';

/** How long an admin call waits for Temporal before it answers 503. */
const temporalDeadlineMs = 10_000;
/** gRPC status codes of "no answer": DEADLINE_EXCEEDED and UNAVAILABLE. */
const unreachableCodes: ReadonlySet<number> = new Set([4, 14]);

export type Temporal = NonNullable<AdminDependencies['temporal']>;

/**
 * Runs a Temporal call for a request: 503 when this API process has no Temporal client or
 * Temporal does not answer in time, so callers know to retry rather than to fix their input.
 */
export async function withTemporal<T>(deps: AdminDependencies, call: (temporal: Temporal) => Promise<T>): Promise<T> {
  const temporal = deps.temporal;
  if (temporal === undefined) {
    throw new HttpError(
      503,
      'temporal_not_configured',
      'this API process was started without a Temporal client, so it cannot reach workflows (orders, backfills, sweeps); start it with one (AdminDependencies.temporal)',
    );
  }
  try {
    return await temporal.client.connection.withDeadline(Date.now() + temporalDeadlineMs, () => call(temporal));
  } catch (error) {
    if (isTemporalUnreachable(error)) throw new HttpError(503, 'temporal_unavailable', 'Temporal did not answer; try again shortly');
    throw error;
  }
}

function isTemporalUnreachable(error: unknown): boolean {
  const grpc = isGrpcServiceError(error)
    ? error
    : error instanceof ServiceError && isGrpcServiceError(error.cause)
      ? error.cause
      : undefined;
  return grpc !== undefined && unreachableCodes.has(grpc.code);
}
