import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** The environment variables of OpenTelemetry tracing (part of config/index.ts's schema), named as the OpenTelemetry spec names them. */
export const tracingVariables = {
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText
    .refine((value) => value === undefined || /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value), {
      message: 'give the collector base URL, e.g. http://127.0.0.1:4318',
    })
    .describe(
      'Base URL of an OTLP/HTTP collector (spans go to `<url>/v1/traces`); set, the API and the worker trace webhook receipt → workflow → activities → vendor calls and put `trace_id` in their log lines. Unset: tracing is off and costs nothing',
    ),
  OTEL_EXPORTER_OTLP_HEADERS: optionalText
    .refine((value) => value === undefined || value.split(',').every((pair) => /^[^=]*[^=\s][^=]*=.+$/.test(pair)), {
      message: 'give key=value pairs separated by commas',
    })
    .describe('`key=value[,key=value]` headers sent to the collector (its API key); never logged, never in a span'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe(
      'Share of webhook receipts (and other root spans) traced, 0 to 1; a trace that starts traced stays traced through workflow, activities and vendor calls',
    ),
};

type TracingEnvironment = z.output<z.ZodObject<typeof tracingVariables>>;

/** Where spans go, when tracing is on. */
export interface TracingConfig {
  /** The collector's OTLP/HTTP traces URL (`…/v1/traces`); undefined: tracing off. */
  tracesUrl: string | undefined;
  /** Headers the collector asks for (an API key): a secret, kept out of logs. */
  headers: Record<string, string>;
  /** Share of root spans sampled, 0 to 1. */
  sampleRatio: number;
}

/** The tracing settings from the environment. */
export function tracingConfig(env: TracingEnvironment): TracingConfig {
  const headers = Object.fromEntries(
    (env.OTEL_EXPORTER_OTLP_HEADERS ?? '')
      .split(',')
      .map((pair) => pair.trim())
      .filter((pair) => pair !== '')
      .map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      }),
  );
  return {
    tracesUrl:
      env.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? undefined : `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
    headers,
    sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
  };
}
