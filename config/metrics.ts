import { z } from 'zod';
import { isPublicBind, minimumProductionAdminKeyLength } from './production-checks.js';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** The environment variables of the metrics endpoints (part of config/index.ts's schema). */
export const metricsVariables = {
  METRICS_TOKEN: optionalText.describe(
    'Bearer token Prometheus presents to `GET /metrics` (API and worker). Unset: the endpoints are open in sandbox mode and off on the API in production; 32+ characters in production',
  ),
  WORKER_METRICS_HOST: z
    .string()
    .trim()
    .min(1)
    .default('127.0.0.1')
    .describe("Address the worker's metrics endpoint binds; production refuses every or a public interface without METRICS_TOKEN"),
  WORKER_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(9464)
    .describe(
      "Port of the worker's `GET /metrics` (business series and Node process metrics); a port in use is logged and the worker runs on",
    ),
  TEMPORAL_METRICS_ADDRESS: optionalText
    .refine((value) => value === undefined || /^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(value), {
      message: 'give host:port, e.g. 127.0.0.1:9465',
    })
    .describe(
      "`host:port` where the Temporal SDK's own Prometheus endpoint (worker task slots, poll and schedule-to-start latencies) listens in the worker process; unset: off",
    ),
};

type MetricsEnvironment = z.output<z.ZodObject<typeof metricsVariables>>;

/** Who may read the metrics and where the worker serves them. */
export interface MetricsConfig {
  /** Bearer token `GET /metrics` requires; undefined: none. */
  token: string | undefined;
  /** Whether the API serves `/metrics`: always in sandbox mode, in production only behind a token. */
  apiEnabled: boolean;
  worker: { host: string; port: number };
  /** Bind address of the SDK's Prometheus endpoint in the worker, or undefined for none. */
  temporalSdkAddress: string | undefined;
}

/** The metrics settings; `problems` gets what production refuses. */
export function metricsConfig(mode: 'sandbox' | 'production', env: MetricsEnvironment, problems: string[]): MetricsConfig {
  if (mode === 'production') {
    if (env.METRICS_TOKEN !== undefined && env.METRICS_TOKEN.length < minimumProductionAdminKeyLength)
      problems.push(`METRICS_TOKEN: use at least ${minimumProductionAdminKeyLength} random characters in production`);
    if (env.METRICS_TOKEN === undefined && isPublicBind(env.WORKER_METRICS_HOST))
      problems.push(
        `WORKER_METRICS_HOST: ${env.WORKER_METRICS_HOST} serves metrics on every or a public interface; bind a private address or set METRICS_TOKEN`,
      );
    const sdkHost = env.TEMPORAL_METRICS_ADDRESS?.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (sdkHost !== undefined && isPublicBind(sdkHost))
      problems.push("TEMPORAL_METRICS_ADDRESS: the SDK's endpoint has no authentication; bind it to loopback or a private address");
  }
  return {
    token: env.METRICS_TOKEN,
    apiEnabled: mode === 'sandbox' || env.METRICS_TOKEN !== undefined,
    worker: { host: env.WORKER_METRICS_HOST, port: env.WORKER_METRICS_PORT },
    temporalSdkAddress: env.TEMPORAL_METRICS_ADDRESS,
  };
}
