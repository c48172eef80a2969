import { ApplicationFailure } from '@temporalio/common';
import type { FailureCatalogue } from '../workflows/shared-contract.js';

/** What a flow failure carries besides its type and message. */
export interface FlowFailureOptions {
  /** Facts for the attention item (the first of the failure's details). */
  details?: Record<string, unknown>;
  cause?: Error;
}

/**
 * The failure an activity throws when a person has to act: an `ApplicationFailure` of `type`,
 * never retried. `type` must be a key of the flow's catalogue, so every failure thrown has a code
 * and a fix in the attention queue; the catalogue itself is only read by the workflow.
 */
export function flowFailure<Catalogue extends FailureCatalogue>(
  _catalogue: Catalogue,
  type: keyof Catalogue & string,
  message: string,
  options: FlowFailureOptions = {},
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    ...(options.details !== undefined && { details: [options.details] }),
    ...(options.cause !== undefined && { cause: options.cause }),
  });
}

/**
 * A {@link flowFailure} that names its failure class (`input`, the vendor's or operator's data is
 * wrong) beside `details`, as the attention item shows it.
 */
export function operatorFailure<Catalogue extends FailureCatalogue>(
  catalogue: Catalogue,
  type: keyof Catalogue & string,
  message: string,
  details: Record<string, unknown> = {},
): ApplicationFailure {
  return flowFailure(catalogue, type, message, { details: { failureClass: 'input', ...details } });
}
