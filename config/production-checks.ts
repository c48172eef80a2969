import { keyRingProductionProblems } from './key-ring.js';
import net from 'node:net';

/** The settings {@link productionProblems} judges, as the environment schema parsed them. */
export interface ProductionSettings {
  env: {
    LOG_LEVEL: string;
    API_HOST: string;
    API_BEHIND_PROXY: boolean;
    ADMIN_API_KEY: string | undefined;
    TEMPORAL_ADDRESS: string | undefined;
    MONGODB_URI: string | undefined;
    ALLOW_PLAINTEXT_BACKENDS: boolean;
    SANDBOX_CONTROL: boolean | undefined;
    BENCH_ACK_FLOOR: boolean;
  };
  /** True when the Temporal connection uses TLS (TEMPORAL_TLS, an mTLS certificate or an API key). */
  temporalTls: boolean;
  credentialKeys: Buffer[];
  sandboxAdminApiKey: string;
  sandboxCredentialsKey: Buffer;
}

/** Shortest bootstrap admin key production accepts: a guessable key opens every tenant's credentials. */
export const minimumProductionAdminKeyLength = 32;

/**
 * Every reason the environment is not safe to run in production, so start-up can refuse with
 * one message that lists them all instead of one per attempt.
 */
export function productionProblems(settings: ProductionSettings): string[] {
  const { env } = settings;
  const problems: string[] = [];

  if (env.TEMPORAL_ADDRESS === undefined || env.MONGODB_URI === undefined) {
    problems.push('TEMPORAL_ADDRESS and MONGODB_URI: required in production (no local servers are started in production)');
  }

  if (env.ADMIN_API_KEY === settings.sandboxAdminApiKey) {
    problems.push('ADMIN_API_KEY: the sandbox demo key cannot be used in production');
  } else if (env.ADMIN_API_KEY !== undefined && env.ADMIN_API_KEY.length < minimumProductionAdminKeyLength) {
    problems.push(
      `ADMIN_API_KEY: use at least ${minimumProductionAdminKeyLength} random characters in production (openssl rand -base64 32)`,
    );
  }

  problems.push(...keyRingProductionProblems('CREDENTIALS_KEYS', settings.credentialKeys, settings.sandboxCredentialsKey));

  if (!env.ALLOW_PLAINTEXT_BACKENDS) {
    if (env.TEMPORAL_ADDRESS !== undefined && !settings.temporalTls) {
      problems.push(
        'TEMPORAL_TLS: production connects to Temporal over TLS (TEMPORAL_TLS=true, an mTLS certificate or TEMPORAL_API_KEY), ' +
          'or set ALLOW_PLAINTEXT_BACKENDS=true when Temporal is reached only over a private network',
      );
    }
    if (env.MONGODB_URI !== undefined && !mongoUsesTls(env.MONGODB_URI)) {
      problems.push(
        'MONGODB_URI: production connects to MongoDB over TLS (mongodb+srv:// or tls=true), ' +
          'or set ALLOW_PLAINTEXT_BACKENDS=true when MongoDB is reached only over a private network',
      );
    }
  }
  if (
    env.MONGODB_URI !== undefined &&
    /[?&](tlsInsecure|tlsAllowInvalidCertificates|tlsAllowInvalidHostnames)=true\b/i.test(env.MONGODB_URI)
  ) {
    problems.push('MONGODB_URI: certificate checks cannot be turned off in production (tlsInsecure / tlsAllowInvalid…)');
  }

  if (env.LOG_LEVEL === 'trace') problems.push('LOG_LEVEL: trace logs request and SDK internals; use debug at most in production');

  if (env.SANDBOX_CONTROL === true) {
    problems.push('SANDBOX_CONTROL: the sandboxes’ unauthenticated control API is for development and tests only');
  }

  if (env.BENCH_ACK_FLOOR) {
    problems.push('BENCH_ACK_FLOOR: the benchmark’s unauthenticated floor route starts Temporal workflows for anyone; unset it');
  }

  if (!env.API_BEHIND_PROXY && isPublicBind(env.API_HOST)) {
    problems.push(
      `API_HOST: ${env.API_HOST} serves plain HTTP on every or a public interface; bind 127.0.0.1 or a private address, ` +
        'or set API_BEHIND_PROXY=true when only a TLS-terminating proxy can reach this address (a container network)',
    );
  }
  return problems;
}

function mongoUsesTls(uri: string): boolean {
  const explicit = /[?&](tls|ssl)=(true|false)\b/i.exec(uri);
  if (explicit) return explicit[2]!.toLowerCase() === 'true';
  return uri.startsWith('mongodb+srv://');
}

/** Every interface (0.0.0.0, ::), or an address that is neither loopback nor private. */
export function isPublicBind(host: string): boolean {
  if (host === 'localhost') return false;
  const family = net.isIP(host);
  if (family === 0) return true; // a host name: whatever it resolves to, we cannot vouch for it
  const blocks = new net.BlockList();
  blocks.addSubnet('127.0.0.0', 8, 'ipv4');
  blocks.addSubnet('10.0.0.0', 8, 'ipv4');
  blocks.addSubnet('172.16.0.0', 12, 'ipv4');
  blocks.addSubnet('192.168.0.0', 16, 'ipv4');
  blocks.addAddress('::1', 'ipv6');
  blocks.addSubnet('fc00::', 7, 'ipv6');
  return !blocks.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
