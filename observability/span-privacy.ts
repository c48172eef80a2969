import type { Attributes, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * The span attributes that may leave the process: ids, names and codes the product and
 * Temporal's interceptors set, none of which can hold a credential or a shopper's data.
 */
const exportedAttributes = new Set([
  // Temporal's interceptors (client, workflow, activity).
  'temporalWorkflowId',
  'temporalActivityId',
  'temporalUpdateId',
  'run_id',
  // What the worker's workflow span sink adds (workers/tracing.ts keeps it to these).
  'workflowId',
  'runId',
  'workflowType',
  'taskQueue',
  'namespace',
  'attempt',
  // The API's request spans and the connectors' vendor call spans.
  'http.request.method',
  'http.route',
  'http.response.status_code',
  'server.address',
  'vendor.system',
  'vendor.operation',
  'vendor.code',
  'vendor.request_id',
  'tenant.id',
  'error.type',
  // The exception event's class; its message and stack are dropped (see below).
  'exception.type',
]);

function exported(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => exportedAttributes.has(key)));
}

/**
 * The span as it may be exported: allowed attributes only, exception events without message
 * or stack, the status without its message. Failure messages carry the vendor's words, which
 * can quote a customer's name or address; the failure's type is what a trace needs, and its
 * message stays in the workflow's history, where the codec protects it.
 */
export function withoutPrivateData(span: ReadableSpan): ReadableSpan {
  const events: TimedEvent[] = span.events.map((event) => ({ ...event, attributes: exported(event.attributes ?? {}) }));
  // Delegates to the span for everything else (its context, times, resource), so both SDK spans and
  // the ones the workflow sink rebuilds pass through alike.
  return Object.create(span, {
    attributes: { value: exported(span.attributes), enumerable: true },
    events: { value: events, enumerable: true },
    status: { value: { code: span.status.code }, enumerable: true },
  }) as ReadableSpan;
}

/** Hands `next` each ended span without private data (see {@link withoutPrivateData}). */
export class PrivateSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(withoutPrivateData(span));
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
