import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { isConnectorError, type ConnectorSystem } from './connector-error.js';

/** What a vendor call's span says: the system, an operation name without ids, and safe ids. */
export interface VendorCall {
  system: ConnectorSystem;
  /** A bounded name: an Intacct function list, a Clarity operation, a method and path template. */
  operation: string;
  /** Extra attributes; only ids and names (observability/span-privacy.ts drops anything else). */
  attributes?: Attributes;
}

/**
 * Runs one vendor call (its wait for a request slot or rate-limit token included) as a client
 * span of whatever span is active: the activity attempt, so a trace reaches from the webhook to
 * the vendor's answer. The span is started here, at the call, not where a queue later runs the
 * request, so it has the caller's parent. A failure records its connector type, status and
 * vendor code, never its message. Without tracing the span is a no-op.
 */
export function inVendorCallSpan<T>(call: VendorCall, send: () => Promise<T>): Promise<T> {
  // Asked for at each call, not kept: a no-op until the process starts tracing (observability/tracing.ts), the process's provider after.
  return trace.getTracer('intacct-storefront-sync/connectors').startActiveSpan(
    `${call.system} ${call.operation}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'vendor.system': call.system, 'vendor.operation': call.operation, ...call.attributes },
    },
    async (span) => {
      try {
        return await send();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        if (isConnectorError(error)) {
          span.setAttribute('error.type', error.type);
          if (error.status !== undefined) span.setAttribute('http.response.status_code', error.status);
          if (error.vendorCode !== undefined) span.setAttribute('vendor.code', error.vendorCode);
          if (error.requestId !== undefined) span.setAttribute('vendor.request_id', error.requestId);
        } else {
          span.setAttribute('error.type', error instanceof Error ? error.name : 'unknown');
        }
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** A BigCommerce or Stripe path with its ids replaced, so span names stay few: `/v2/orders/{id}/products`. */
export function pathTemplate(path: string): string {
  return path.replace(/\/(?:\d+|[a-z]{2,4}_[A-Za-z0-9]+)(?=\/|$)/g, '/{id}');
}
