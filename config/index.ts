import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { VendorEndpointRules } from '../connectors/vendor-endpoints.js';
import { metricsConfig, metricsVariables, type MetricsConfig } from './metrics.js';
import { alertsConfig, alertVariables, type AlertsConfig } from './alerts.js';
import { parseKeyRing, type KeyRing } from './key-ring.js';
import { payloadCodecConfig, payloadCodecVariables, type PayloadCodecConfig } from './payload-codec.js';
import { guestMappingKeyRing, guestMappingKeyVariables } from './guest-mapping-keys.js';
import { productionProblems } from './production-checks.js';
import { tracingConfig, tracingVariables, type TracingConfig } from './tracing.js';
import { trustedProxiesSetting } from './trusted-proxies.js';
import { vendorEndpointRules, vendorEndpointVariables } from './vendor-endpoints.js';

/** The repository root, so relative defaults do not depend on the caller's working directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Every environment variable the product reads, with its default. This is the only place
 * that reads `process.env`; the composition roots call {@link loadConfig} once and pass the
 * result down. docs/configuration.md is generated from this schema (`npm run docs:config`).
 */
export const environmentSchema = z.object({
  APP_MODE: z
    .enum(['sandbox', 'production'])
    .default('sandbox')
    .describe(
      '`sandbox` runs the local stack with the vendor sandboxes and demo data; `production` needs TEMPORAL_ADDRESS and MONGODB_URI and refuses weak settings (config/production-checks.ts, docs/security.md)',
    ),
  LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
    .default('info')
    .describe('Log level of the API and worker (pino JSON lines)'),

  API_HOST: z
    .string()
    .trim()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the API binds; production refuses every or a public interface unless API_BEHIND_PROXY is set'),
  API_BEHIND_PROXY: flag.describe('Only a TLS-terminating proxy can reach API_HOST (a container network), so production may bind 0.0.0.0'),
  API_TRUSTED_PROXIES: trustedProxiesSetting.describe(
    "Comma-separated addresses or CIDRs (or `loopback`, `linklocal`, `uniquelocal`) of the reverse proxies whose X-Forwarded-For is believed: the client address logged and counted by the wrong-key limit is the one they forward. Empty: X-Forwarded-For is ignored and the client is the socket's peer",
  ),
  API_PORT: port.default(3000).describe('Port of the product API'),
  BENCH_ACK_FLOOR: flag.describe(
    'Serves the unauthenticated `POST /bench/ack-floor/{tenantId}` (only a Temporal signal-with-start, no database): the webhook acknowledgement floor of `npm run bench`, which sets it on the API it starts. Off by default; production refuses it',
  ),

  TEMPORAL_ADDRESS: optionalText.describe('`host:port` of an existing Temporal frontend; unset, `npm start` starts a local dev server'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default').describe('Temporal namespace'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('storefront-sync').describe("Task queue of the product's worker"),
  TEMPORAL_API_KEY: optionalText.describe('Temporal Cloud API key (turns TLS on)'),
  TEMPORAL_TLS: flag.describe('TLS to Temporal without a client certificate'),
  TEMPORAL_TLS_CERT_PATH: optionalText.describe('mTLS client certificate (set with TEMPORAL_TLS_KEY_PATH; turns TLS on)'),
  TEMPORAL_TLS_KEY_PATH: optionalText.describe('mTLS client key (set with TEMPORAL_TLS_CERT_PATH)'),
  TEMPORAL_TLS_CA_PATH: optionalText.describe('CA bundle for a private server certificate'),
  TEMPORAL_TLS_SERVER_NAME: optionalText.describe('TLS server name override'),
  TEMPORAL_PORT: port.default(7233).describe('Port of the local Temporal dev server (when TEMPORAL_ADDRESS is unset)'),
  TEMPORAL_UI_PORT: port.default(8233).describe("Port of the local dev server's Web UI"),
  ALLOW_PLAINTEXT_BACKENDS: flag.describe(
    'Production may reach Temporal and MongoDB without TLS (only over a private network); otherwise production requires TLS to both',
  ),

  MONGODB_URI: optionalText.describe(
    'URI of an existing MongoDB (6 or 7, replica set recommended); unset, `npm start` starts a local FerretDB, reached with `maxPoolSize=12` (a URI naming a FerretDB on SQLite needs such a cap: see docs/scale-out.md)',
  ),
  MONGODB_DATABASE: z.string().min(1).default('storefront_sync').describe('Database name'),
  MONGODB_PORT: port.default(27017).describe('Port of the local FerretDB (when MONGODB_URI is unset)'),

  INTACCT_SANDBOX_PORT: port.default(4001).describe('Port of the Intacct sandbox (sandbox mode)'),
  BIGCOMMERCE_SANDBOX_PORT: port.default(4002).describe('Port of the BigCommerce sandbox (sandbox mode)'),
  CLARITY_SANDBOX_PORT: port.default(4003).describe('Port of the Clarity sandbox (sandbox mode)'),
  STRIPE_SANDBOX_PORT: port.default(4004).describe('Port of the Stripe sandbox (sandbox mode)'),
  SANDBOX_HOST: z
    .string()
    .trim()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the sandboxes bind (their control APIs have no authentication)'),
  // Unset: on in sandbox mode, off in production (where setting it on is refused).
  SANDBOX_CONTROL: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1' || value === 'yes'))
    .describe(
      "The sandboxes' control endpoints (fault injection, reset, request logs); unset: on in sandbox mode, off in production, where on is refused",
    ),

  ...vendorEndpointVariables,
  ...metricsVariables,
  ...tracingVariables,
  ...alertVariables,
  ...payloadCodecVariables,
  ...guestMappingKeyVariables,

  ADMIN_API_KEY: optionalText.describe(
    'Bootstrap admin key, valid for every tenant: 12+ characters (32+ in production); `demo-admin-key` in sandbox mode when unset, none in production',
  ),
  ADMIN_AUTH_FAILURES_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(10)
    .describe('Wrong admin keys one client address may present per minute before it is answered 429 for the rest of the minute'),
  CREDENTIALS_KEYS: optionalText.describe(
    '`id:base64key[,id:base64key]`, random 32-byte AES-256-GCM keys sealing tenant credentials at rest; a public sandbox key when unset in sandbox mode, required in production',
  ),
  CREDENTIALS_ACTIVE_KEY_ID: optionalText.describe(
    'Id of the key new credentials are sealed with; default the last id in CREDENTIALS_KEYS',
  ),

  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(50).describe('Activity slots per worker'),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(40).describe('Workflow task slots per worker'),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(2)
    .default(500)
    .describe(
      "Workflows a worker keeps in memory between their tasks (the SDK's sticky cache); this, not the number of orders in flight, bounds the worker's memory: one evicted is replayed from its history at its next task. The SDK's own default grows with the heap limit (about 2,300 with Node's default heap on a 24 GB machine)",
    ),
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(10)
    .describe('Time in-flight activities get to finish on shutdown'),

  INTACCT_CONCURRENCY_PER_COMPANY: z.coerce
    .number()
    .int()
    .positive()
    .default(2)
    .describe(
      "Intacct requests a process keeps in flight per company: the company's concurrency limit at Intacct (2 on the standard tier)",
    ),
  INTACCT_CONCURRENCY_PER_TENANT: z.coerce
    .number()
    .int()
    .positive()
    .default(4)
    .describe('Intacct requests one tenant may have in flight in a process, whatever companies and endpoints it names'),
  INTACCT_CONCURRENCY_TOTAL: z.coerce.number().int().positive().default(64).describe('Intacct requests a process keeps in flight in all'),

  RUNTIME_DIR: z
    .string()
    .default(path.join(projectRoot, '.runtime'))
    .describe('Provisioned binaries and logs (relative paths: from the working directory)'),
  DATA_DIR: optionalText.describe("The local stack's Temporal SQLite file and FerretDB files; default `$RUNTIME_DIR/data`"),
  TEMPORAL_CLI_PATH: optionalText.describe('Use this Temporal CLI instead of provisioning one'),
  TEMPORAL_TEST_SERVER_PATH: optionalText.describe('Use this time-skipping test server instead of provisioning one'),
  FERRETDB_PATH: optionalText.describe('Use this FerretDB binary instead of provisioning one'),
  FERRETDB_BACKEND: z
    .enum(['sqlite', 'postgresql'])
    .default('postgresql')
    .describe(
      "The local FerretDB's storage: `postgresql` (an embedded PostgreSQL provisioned from PyPI, started beside it), or `sqlite` (FerretDB's files only; a single writer, which loses under bursts: docs/scale-out.md compares the two)",
    ),
});

export type Environment = z.input<typeof environmentSchema>;

export interface TemporalConfig {
  /** host:port of the frontend; undefined means "start the local dev server". */
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  apiKey: string | undefined;
  tls:
    | undefined
    | {
        certPath: string | undefined;
        keyPath: string | undefined;
        caPath: string | undefined;
        serverName: string | undefined;
      };
  localPort: number;
  localUiPort: number;
}

/**
 * Sandbox-mode defaults, fixed so that scripts and docs can rely on them (docs/architecture.md "Sandbox
 * contract"). Production refuses to start while any of them is configured.
 */
export const sandboxDefaults = {
  adminApiKey: 'demo-admin-key',
  credentialsKeyId: 'sandbox-1',
  // 32 bytes, base64: public on purpose, it protects only demo credentials.
  credentialsKey: 'c2FuZGJveC1vbmx5LWtleS1kby1ub3QtdXNlLTMyYiE=',
} as const;

/**
 * The guest mapping keys sandbox mode uses when GUEST_MAPPING_HMAC_KEYS is unset (derived from
 * the sandbox credentials key): what activities and the admin API fall back to when built without
 * configuration (tests). The product's processes pass `config.guestMappingKeys`.
 */
export function sandboxGuestMappingKeyRing(): KeyRing {
  const credentials = {
    keys: new Map([[sandboxDefaults.credentialsKeyId, Buffer.from(sandboxDefaults.credentialsKey, 'base64')]]),
    activeKeyId: sandboxDefaults.credentialsKeyId,
  };
  return guestMappingKeyRing(
    'sandbox',
    { GUEST_MAPPING_HMAC_KEYS: undefined, GUEST_MAPPING_HMAC_ACTIVE_KEY_ID: undefined },
    credentials,
    [],
  );
}

export interface Config {
  mode: 'sandbox' | 'production';
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  api: {
    host: string;
    port: number;
    /** API_BEHIND_PROXY: only a TLS-terminating proxy reaches the API. */
    behindProxy: boolean;
    /** Proxies (addresses, CIDRs or proxy-addr's named ranges) whose X-Forwarded-For names the client; empty: none. */
    trustedProxies: string[];
    /** BENCH_ACK_FLOOR: the bench's unauthenticated acknowledgement floor route is served (sandbox mode only). */
    benchAckFloor: boolean;
  };
  temporal: TemporalConfig;
  mongo: {
    /** undefined means "start the local FerretDB". */
    uri: string | undefined;
    database: string;
    localPort: number;
  };
  sandbox: {
    /** The address the sandboxes listen on; loopback by default, as their control APIs have no authentication. */
    host: string;
    ports: { intacct: number; bigcommerce: number; clarity: number; stripe: number };
    /** Fault injection, reset and request logs on the sandboxes (development and tests only). */
    controlEnabled: boolean;
  };
  /** Where tenants' credentials may be sent: per connector, the endpoints the installation allows. */
  vendorEndpoints: VendorEndpointRules;
  /** Alerts to a person: the SMTP relay, where alert webhooks may go, the links' base URL. */
  alerts: AlertsConfig;
  admin: {
    /** Bootstrap admin key for every tenant (sandbox default `demo-admin-key`). */
    bootstrapApiKey: string | undefined;
    /** Wrong keys one client may present per minute before it is answered 429 until the minute ends. */
    authFailuresPerMinute: number;
  };
  /** Keys sealing tenant credentials at rest. */
  credentials: KeyRing;
  /** Keys encrypting Temporal payloads, and who may use the codec endpoint. */
  payloadCodec: PayloadCodecConfig;
  /** Keys of the HMAC standing for guests' emails in customers mapping keys (store/guest-mapping-keys.ts). */
  guestMappingKeys: KeyRing;
  /** Options of the process's ConnectorClients that the operator sets. */
  connectors: { intacctConcurrencyPerCompany: number; intacctConcurrencyPerTenant: number; intacctConcurrencyTotal: number };
  /** Who reads `/metrics` and where the worker serves its metrics. */
  metrics: MetricsConfig;
  /** Where OpenTelemetry spans go (observability/tracing.ts); off unless an OTLP endpoint is set. */
  tracing: TracingConfig;
  worker: { maxConcurrentActivities: number; maxConcurrentWorkflowTasks: number; maxCachedWorkflows: number; shutdownGraceSeconds: number };
  runtime: {
    /** Provisioned binaries and logs. */
    dir: string;
    /** The local stack's Temporal SQLite file and FerretDB files (default: <runtime dir>/data). */
    dataDir: string;
    temporalCliPath: string | undefined;
    temporalTestServerPath: string | undefined;
    ferretDbPath: string | undefined;
    /** Where the local FerretDB keeps its data (MONGODB_URI unset). */
    ferretDbBackend: FerretDbBackend;
  };
}

export type FerretDbBackend = 'sqlite' | 'postgresql';

/** Raised when the environment does not describe a valid configuration; lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the configuration once; throws {@link ConfigError} naming each bad variable. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;

  const problems: string[] = [];
  const wantsTls = env.TEMPORAL_TLS || env.TEMPORAL_TLS_CERT_PATH !== undefined || env.TEMPORAL_API_KEY !== undefined;
  if ((env.TEMPORAL_TLS_CERT_PATH === undefined) !== (env.TEMPORAL_TLS_KEY_PATH === undefined)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  }
  const credentials = parseKeyRing(
    {
      mode: env.APP_MODE,
      variable: 'CREDENTIALS_KEYS',
      activeVariable: 'CREDENTIALS_ACTIVE_KEY_ID',
      keysText: env.CREDENTIALS_KEYS,
      activeKeyId: env.CREDENTIALS_ACTIVE_KEY_ID,
      sandboxKey: { id: sandboxDefaults.credentialsKeyId, key: Buffer.from(sandboxDefaults.credentialsKey, 'base64') },
    },
    problems,
  );
  const payloadCodec = payloadCodecConfig(env.APP_MODE, env, env.TEMPORAL_UI_PORT, problems);
  const guestMappingKeys = guestMappingKeyRing(env.APP_MODE, env, credentials, problems);
  const bootstrapApiKey = env.ADMIN_API_KEY ?? (env.APP_MODE === 'sandbox' ? sandboxDefaults.adminApiKey : undefined);
  // The SDK would quietly lower the task slots to the cache size; say so instead.
  if (env.WORKER_MAX_CACHED_WORKFLOWS < env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS)
    problems.push(
      `WORKER_MAX_CACHED_WORKFLOWS (${env.WORKER_MAX_CACHED_WORKFLOWS}) must be at least WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS})`,
    );
  if (env.APP_MODE === 'sandbox' && bootstrapApiKey !== undefined && bootstrapApiKey.length < 12)
    problems.push('ADMIN_API_KEY: use at least 12 characters');
  const sandboxPorts = {
    intacct: env.INTACCT_SANDBOX_PORT,
    bigcommerce: env.BIGCOMMERCE_SANDBOX_PORT,
    clarity: env.CLARITY_SANDBOX_PORT,
    stripe: env.STRIPE_SANDBOX_PORT,
  };
  const vendorEndpoints = vendorEndpointRules(env.APP_MODE, env, sandboxPorts, problems);
  const metrics = metricsConfig(env.APP_MODE, env, problems);
  const alerts = alertsConfig(env.APP_MODE, env, env.API_PORT, problems);
  if (env.APP_MODE === 'production') {
    problems.push(
      ...productionProblems({
        env,
        temporalTls: wantsTls,
        credentialKeys: [...credentials.keys.values()],
        sandboxAdminApiKey: sandboxDefaults.adminApiKey,
        sandboxCredentialsKey: Buffer.from(sandboxDefaults.credentialsKey, 'base64'),
      }),
    );
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);

  return {
    mode: env.APP_MODE,
    admin: { bootstrapApiKey, authFailuresPerMinute: env.ADMIN_AUTH_FAILURES_PER_MINUTE },
    vendorEndpoints,
    alerts,
    sandbox: {
      ports: sandboxPorts,
      host: env.SANDBOX_HOST,
      controlEnabled: env.SANDBOX_CONTROL ?? env.APP_MODE === 'sandbox',
    },
    credentials,
    payloadCodec,
    guestMappingKeys,
    logLevel: env.LOG_LEVEL,
    api: {
      host: env.API_HOST,
      port: env.API_PORT,
      behindProxy: env.API_BEHIND_PROXY,
      trustedProxies: env.API_TRUSTED_PROXIES,
      benchAckFloor: env.BENCH_ACK_FLOOR,
    },
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      apiKey: env.TEMPORAL_API_KEY,
      tls: wantsTls
        ? {
            certPath: env.TEMPORAL_TLS_CERT_PATH,
            keyPath: env.TEMPORAL_TLS_KEY_PATH,
            caPath: env.TEMPORAL_TLS_CA_PATH,
            serverName: env.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      localPort: env.TEMPORAL_PORT,
      localUiPort: env.TEMPORAL_UI_PORT,
    },
    mongo: { uri: env.MONGODB_URI, database: env.MONGODB_DATABASE, localPort: env.MONGODB_PORT },
    connectors: {
      intacctConcurrencyPerCompany: env.INTACCT_CONCURRENCY_PER_COMPANY,
      intacctConcurrencyPerTenant: env.INTACCT_CONCURRENCY_PER_TENANT,
      intacctConcurrencyTotal: env.INTACCT_CONCURRENCY_TOTAL,
    },
    metrics,
    tracing: tracingConfig(env),
    worker: {
      maxConcurrentActivities: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTasks: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
      shutdownGraceSeconds: env.WORKER_SHUTDOWN_GRACE_SECONDS,
    },
    runtime: {
      dir: path.resolve(env.RUNTIME_DIR),
      dataDir: path.resolve(env.DATA_DIR ?? path.join(env.RUNTIME_DIR, 'data')),
      temporalCliPath: env.TEMPORAL_CLI_PATH,
      temporalTestServerPath: env.TEMPORAL_TEST_SERVER_PATH,
      ferretDbPath: env.FERRETDB_PATH,
      ferretDbBackend: env.FERRETDB_BACKEND,
    },
  };
}

/**
 * {@link loadConfig} for a process's composition root: a bad configuration is one message on
 * stderr (every problem, no stack trace) and exit code 1, before anything listens or connects.
 */
export function loadConfigOrExit(environment: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** The environment variable names the product reads (used to check docker-compose and the docs). */
export const environmentVariableNames = Object.keys(environmentSchema.shape);
