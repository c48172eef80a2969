import { isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './index.js';

export type { Logger };

/**
 * Paths that may hold credentials or a shopper's contact data anywhere in a logged object.
 * Redaction is a second line of defence: code should not log such objects at all.
 */
const redactedPaths = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  '*.clientSecret',
  '*.accessToken',
  '*.apiKey',
  'apiKey',
  'token',
  '*.token',
  // Temporal task tokens (the SDK's activity log attributes, an activity's `info`): whoever holds
  // one can complete or fail that activity. SDK lines nest their attributes under `sdk`.
  'taskToken',
  '*.taskToken',
  '*.*.taskToken',
  'base64TaskToken',
  '*.base64TaskToken',
  '*.*.base64TaskToken',
  'req.headers.authorization',
  'req.headers["x-auth-token"]',
  'headers.authorization',
  // Shoppers' contact data (docs/privacy.md): code logs ids, never an order's addresses.
  'email',
  '*.email',
  '*.phone',
  '*.billingAddress',
  '*.shippingAddress',
  '*.*.billingAddress',
  '*.*.shippingAddress',
];

/**
 * The ids of the span active where a line is written (a request, an activity attempt), so a line
 * leads to its trace; nothing when no span is (tracing off: the API's no-op context has none).
 */
function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  // An unsampled span's ids lead to no exported trace.
  if (spanContext === undefined || !isSpanContextValid(spanContext) || (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * Structured JSON logs on stdout, one logger per process, named after the process, each line
 * with the active trace's ids when tracing is on. Tests pass a `destination` to read the lines
 * the product writes.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, name: string, destination?: DestinationStream): Logger {
  const options = {
    name,
    level: config.logLevel,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: activeTraceIds,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
