import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { environmentVariableNames, loadConfig } from '../../config/index.js';

// No Docker engine runs here: these tests check the wiring of docker-compose.yml and the
// Dockerfile against the repository and the product's configuration schema.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readRepoFile = (name: string): string => fs.readFileSync(path.join(repoRoot, name), 'utf8');

type PortEntry = string | number | { target?: number | string; published?: number | string; host_ip?: string };

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: PortEntry[];
  expose?: Array<string | number>;
  entrypoint?: string | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  container_name?: string;
  hostname?: string;
  stop_grace_period?: string;
  volumes?: string[];
}

interface ComposeFile {
  version?: unknown;
  services: Record<string, Service>;
}

const compose = parse(readRepoFile('docker-compose.yml')) as ComposeFile;
const services = compose.services;
const dockerfile = readRepoFile('Dockerfile');
const packageJson = JSON.parse(readRepoFile('package.json')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

function service(name: string): Service {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** The tag (or digest) of an image reference, ignoring a registry's host:port. */
function imageTag(reference: string): string | undefined {
  const [withoutDigest, digest] = reference.split('@');
  if (digest !== undefined && digest !== '') return digest;
  const lastSegment = (withoutDigest ?? '').split('/').pop() ?? '';
  const colon = lastSegment.indexOf(':');
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

function isPinned(reference: string): boolean {
  const tag = imageTag(reference);
  return tag !== undefined && tag !== '' && tag !== 'latest' && !tag.includes('${');
}

function environmentOf(entry: Service): Record<string, string> {
  const environment = entry.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((line) => {
        const equals = line.indexOf('=');
        return equals === -1 ? [line, ''] : [line.slice(0, equals), line.slice(equals + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** Resolves compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}` against `values`. */
function interpolate(environment: Record<string, string>, values: Record<string, string>): Record<string, string> {
  const resolve = (text: string) =>
    text.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_match, name: string, kind?: string, rest?: string) => {
      const value = values[name];
      if (value !== undefined && value !== '') return value;
      if (kind === '?') throw new Error(`compose would refuse to start: ${name}: ${rest}`);
      return kind === '-' ? (rest ?? '') : '';
    });
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, resolve(value)]));
}

function commandOf(entry: Service): string[] {
  const { command } = entry;
  if (command === undefined) return [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter((part) => part !== '');
}

/** Container ports a service publishes to the host, keyed by host port. */
function publishedPorts(entry: Service): Map<number, number> {
  const published = new Map<number, number>();
  for (const port of entry.ports ?? []) {
    if (typeof port === 'object') {
      if (port.published !== undefined && port.target !== undefined) published.set(Number(port.published), Number(port.target));
      continue;
    }
    const parts = String(port).split('/')[0]!.split(':');
    const container = Number(parts.at(-1));
    const host = parts.length >= 2 ? Number(parts.at(-2)) : Number.NaN;
    if (!Number.isNaN(host)) published.set(host, container);
  }
  return published;
}

/** The host address each published port is bound to ('' when it is every interface). */
function publishedHostAddresses(entry: Service): string[] {
  return (entry.ports ?? []).map((port) => {
    if (typeof port === 'object') return port.host_ip ?? '';
    const parts = String(port).split('/')[0]!.split(':');
    return parts.length === 3 ? parts[0]! : '';
  });
}

/** Container ports a service listens on for other services: exposed or published. */
function listeningPorts(entry: Service): number[] {
  return [...(entry.expose ?? []).map((port) => Number(String(port).split('/')[0])), ...publishedPorts(entry).values()];
}

/** Every string in a parsed YAML value, with where it was found. */
function stringsIn(value: unknown, where: string): Array<[string, string]> {
  if (typeof value === 'string') return [[where, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsIn(item, `${where}[${index}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringsIn(item, `${where}.${key}`));
  return [];
}

/** Names compose must be given (`${NAME:?message}`) anywhere in the file's values, comments excluded. */
const requiredVariables = [
  ...new Set(stringsIn(compose, 'compose').flatMap(([, text]) => [...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1]!))),
].sort();

/** What a filled-in .env would hold. */
const secrets = {
  ADMIN_API_KEY: randomBytes(32).toString('base64'),
  CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PAYLOAD_CODEC_KEYS: `p1:${randomBytes(32).toString('base64')}`,
  TEMPORAL_DB_PASSWORD: randomBytes(24).toString('hex'),
  MONGODB_PASSWORD: randomBytes(24).toString('hex'),
};

function dependencyConditions(entry: Service): Record<string, string | undefined> {
  const dependsOn = entry.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, options]) => [name, options.condition]));
}

function healthcheckCommand(entry: Service): string {
  const test = entry.healthcheck?.test;
  if (test === undefined) return '';
  return Array.isArray(test) ? test.join(' ') : test;
}

/** Seconds in a compose duration such as "30s", "1m30s" or "1h". */
function durationSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(amount) * units[unit!]!;
  return total;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerfileInstructions(text: string): { keyword: string; argument: string }[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), argument: rest.join(' ') };
    });
}

/** CMD in exec (JSON) or shell form, as a list of words. */
function dockerfileCommand(text: string): string[] {
  const cmd = dockerfileInstructions(text)
    .filter((instruction) => instruction.keyword === 'CMD')
    .at(-1);
  if (cmd === undefined) return [];
  return cmd.argument.startsWith('[') ? (JSON.parse(cmd.argument) as string[]) : cmd.argument.split(/\s+/);
}

/** Asserts that a Node command loads TypeScript through tsx and names entry files that exist. */
function expectRunnableEntry(command: string[], entry: string): void {
  expect(command[0]).toBe('node');
  expect(command.slice(1, 3)).toEqual(['--import', 'tsx']);
  const scripts = command.filter((word) => word.endsWith('.ts'));
  expect(scripts).toEqual([entry]);
  for (const script of scripts) expect(fs.existsSync(path.join(repoRoot, script)), `${script} exists`).toBe(true);
}

const appServices = ['api', 'worker'] as const;

describe('docker-compose.yml', () => {
  it('defines the postgresql, temporal, temporal-ui, mongodb, api and worker services', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'mongodb', 'api', 'worker']));
  });

  it('follows the Compose specification, without the obsolete top-level version key', () => {
    expect(compose).not.toHaveProperty('version');
  });

  it('runs every service from a pinned image tag or from the repository Dockerfile', () => {
    for (const [name, entry] of Object.entries(services)) {
      if (entry.build !== undefined) {
        const build = typeof entry.build === 'string' ? { context: entry.build } : entry.build;
        const context = path.resolve(repoRoot, build.context ?? '.');
        expect(context, `${name} builds from the repository root`).toBe(repoRoot);
        expect(fs.existsSync(path.join(context, build.dockerfile ?? 'Dockerfile')), `${name}'s Dockerfile exists`).toBe(true);
        if (entry.image !== undefined) expect(isPinned(entry.image), `${name} tags its built image explicitly`).toBe(true);
      } else {
        expect(entry.image, `${name} names an image`).toBeTypeOf('string');
        expect(isPinned(entry.image!), `${name}'s image ${entry.image} is pinned`).toBe(true);
      }
    }
  });

  it('runs the api and the worker from the same image built from the Dockerfile', () => {
    const api = service('api');
    const worker = service('worker');
    expect(api.build).toBeDefined();
    expect(worker.build).toEqual(api.build);
    expect(worker.image).toBe(api.image);
  });

  it('when the stack is up then the API answers on host port 3000 and Temporal UI on 8233', () => {
    const apiPort = Number(environmentOf(service('api')).API_PORT ?? 3000);
    expect(publishedPorts(service('api')).get(3000)).toBe(apiPort);
    expect(publishedPorts(service('temporal-ui')).get(8233)).toBe(8080);
  });

  it('gives the api and the worker only environment variables the product reads', () => {
    for (const name of appServices) {
      const keys = Object.keys(environmentOf(service(name)));
      expect(keys.length, `${name} has an environment`).toBeGreaterThan(0);
      for (const key of keys) expect(environmentVariableNames, `${name}: ${key}`).toContain(key);
    }
  });

  it('when the product loads the api and worker environments (secrets supplied) then they are valid production configurations', () => {
    for (const name of appServices) {
      const config = loadConfig(interpolate(environmentOf(service(name)), secrets));
      expect(config.mode, name).toBe('production');
    }
  });

  it('when the api and worker environments are loaded then both hold tenants to the same vendor endpoint allow-lists', () => {
    const [api, worker] = appServices.map((name) => loadConfig(interpolate(environmentOf(service(name)), secrets)).vendorEndpoints);
    expect(api).toEqual(worker);
    expect(api!.refusePrivateAddresses).toBe(true);
    expect(api!.allowed.intacct).toEqual(['https://*.intacct.com']);
    expect(api!.allowed.bigcommerce).toEqual(['https://api.bigcommerce.com']);
    expect(api!.allowed.clarity).toEqual([]);
  });

  it('requires the secrets from the environment instead of shipping values (compose refuses to start without them)', () => {
    expect(environmentOf(service('api')).ADMIN_API_KEY).toMatch(/^\$\{ADMIN_API_KEY:\?.+\}$/);
    for (const name of appServices) expect(environmentOf(service(name)).CREDENTIALS_KEYS, name).toMatch(/^\$\{CREDENTIALS_KEYS:\?.+\}$/);
  });

  it('points the api, the worker and Temporal UI at the temporal service on a port it listens on', () => {
    const temporalPorts = listeningPorts(service('temporal'));
    for (const name of [...appServices, 'temporal-ui']) {
      const address = environmentOf(service(name)).TEMPORAL_ADDRESS ?? '';
      const [host, port] = address.split(':');
      expect(host, `${name}'s TEMPORAL_ADDRESS host`).toBe('temporal');
      expect(temporalPorts, `${name}'s TEMPORAL_ADDRESS port`).toContain(Number(port));
    }
  });

  it('points the api and the worker at the mongodb service and its replica set', () => {
    const mongodb = service('mongodb');
    const mongodCommand = commandOf(mongodb);
    const replicaSet = mongodCommand[mongodCommand.indexOf('--replSet') + 1];
    expect(mongodCommand).toContain('--replSet');
    expect(mongodCommand).toContain('--bind_ip_all');
    for (const name of appServices) {
      const uri = new URL(interpolate(environmentOf(service(name)), secrets).MONGODB_URI ?? '');
      expect(uri.protocol, name).toBe('mongodb:');
      expect(uri.hostname, name).toBe('mongodb');
      expect(uri.port === '' ? 27017 : Number(uri.port), name).toBe(27017);
      expect(uri.searchParams.get('replicaSet'), name).toBe(replicaSet);
    }
  });

  it('initiates the single-node replica set with the member address the clients use', () => {
    const check = healthcheckCommand(service('mongodb'));
    const mongodCommand = commandOf(service('mongodb'));
    const replicaSet = mongodCommand[mongodCommand.indexOf('--replSet') + 1]!;
    expect(check).toContain('rs.initiate');
    expect(check).toContain(`_id: '${replicaSet}'`);
    expect(check).toContain("host: 'mongodb:27017'");
  });

  it('starts the api and the worker only after temporal and mongodb are healthy', () => {
    for (const name of appServices) {
      const conditions = dependencyConditions(service(name));
      expect(conditions.temporal, `${name} waits for temporal`).toBe('service_healthy');
      expect(conditions.mongodb, `${name} waits for mongodb`).toBe('service_healthy');
    }
  });

  it('starts temporal only after postgresql is healthy', () => {
    expect(dependencyConditions(service('temporal')).postgresql).toBe('service_healthy');
    expect(environmentOf(service('temporal')).POSTGRES_SEEDS).toBe('postgresql');
  });

  it('turns task queue fairness on in temporal from a dynamic config file in the repository', () => {
    const file = environmentOf(service('temporal')).DYNAMIC_CONFIG_FILE_PATH;
    const mount = (service('temporal').volumes ?? []).find((volume) => volume.split(':')[1] === file);
    expect(mount, `a volume mounting ${String(file)}`).toBeDefined();
    const dynamicConfig = parse(readRepoFile(mount!.split(':')[0]!)) as Record<string, Array<{ value: unknown }>>;
    expect(dynamicConfig['matching.enableFairness']).toEqual([{ value: true }]);
  });

  it('defines health checks for temporal, mongodb, postgresql and the api', () => {
    for (const name of ['temporal', 'mongodb', 'postgresql', 'api']) {
      const entry = service(name);
      expect(entry.healthcheck?.disable, name).not.toBe(true);
      expect(healthcheckCommand(entry), name).not.toBe('');
    }
  });

  it('checks the api through its /healthz endpoint on the port it listens on', () => {
    const api = service('api');
    const apiPort = environmentOf(api).API_PORT ?? '3000';
    expect(healthcheckCommand(api)).toMatch(new RegExp(`:${apiPort}/healthz\\b`));
  });

  it('keeps the worker scalable: no container name, hostname or published ports', () => {
    const worker = service('worker');
    expect(worker.container_name).toBeUndefined();
    expect(worker.hostname).toBeUndefined();
    expect(worker.ports ?? []).toEqual([]);
  });

  it('gives the worker longer to stop than its own shutdown grace time', () => {
    const worker = service('worker');
    const graceSeconds = Number(environmentOf(worker).WORKER_SHUTDOWN_GRACE_SECONDS ?? 10);
    const stopSeconds = worker.stop_grace_period === undefined ? 10 : durationSeconds(worker.stop_grace_period);
    expect(stopSeconds).toBeGreaterThan(graceSeconds);
  });

  it('runs the API entry point in the api service and the worker entry point in the worker service', () => {
    expectRunnableEntry(commandOf(service('api')), 'api/main.ts');
    expectRunnableEntry(commandOf(service('worker')), 'workers/main.ts');
  });
});

describe('docker-compose.yml exposure and secrets (security finding 6)', () => {
  it('publishes nothing on every interface: each published port is bound to the host loopback', () => {
    for (const [name, entry] of Object.entries(services)) {
      for (const address of publishedHostAddresses(entry))
        expect(address, `${name} publishes on ${address || 'every interface'}`).toBe('127.0.0.1');
    }
  });

  it('keeps Temporal, PostgreSQL and MongoDB on the compose network only: they publish no port', () => {
    for (const name of ['temporal', 'postgresql', 'mongodb']) expect(service(name).ports ?? [], name).toEqual([]);
    expect(listeningPorts(service('temporal'))).toContain(7233);
  });

  it('publishes Temporal UI on loopback only and read-only, so orders cannot be cancelled around the admin API', () => {
    expect(publishedHostAddresses(service('temporal-ui'))).toEqual(['127.0.0.1']);
    expect(environmentOf(service('temporal-ui')).TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
  });

  it('runs MongoDB with access control, and the api and the worker sign in as the user it creates', () => {
    const mongodb = service('mongodb');
    const environment = environmentOf(mongodb);
    expect(environment.MONGO_INITDB_ROOT_USERNAME).toMatch(/^[a-z_]+$/);
    expect(environment.MONGO_INITDB_ROOT_PASSWORD).toMatch(/^\$\{MONGODB_PASSWORD:\?.+\}$/);
    // A replica set with access control needs a key file; the entry point makes the one it names.
    const command = commandOf(mongodb);
    const keyFile = command[command.indexOf('--keyFile') + 1];
    expect(command).toContain('--keyFile');
    expect([mongodb.entrypoint ?? []].flat().join(' ')).toContain(`> ${keyFile}`);
    // `$$` is compose's escape for a `$` the container's shell expands.
    expect(healthcheckCommand(mongodb)).toContain('--password "$$MONGO_INITDB_ROOT_PASSWORD"');
    for (const name of appServices) {
      const uri = new URL(interpolate(environmentOf(service(name)), secrets).MONGODB_URI ?? '');
      expect(decodeURIComponent(uri.username), name).toBe(environment.MONGO_INITDB_ROOT_USERNAME);
      expect(decodeURIComponent(uri.password), name).toBe(secrets.MONGODB_PASSWORD);
      expect(uri.searchParams.get('authSource'), name).toBe('admin');
    }
  });

  it('takes every password and key from the environment with no default, so compose refuses to start without them', () => {
    expect(environmentOf(service('postgresql')).POSTGRES_PASSWORD).toMatch(/^\$\{TEMPORAL_DB_PASSWORD:\?.+\}$/);
    expect(environmentOf(service('temporal')).POSTGRES_PWD).toMatch(/^\$\{TEMPORAL_DB_PASSWORD:\?.+\}$/);
    for (const [where, text] of stringsIn(compose, 'compose')) {
      for (const [reference, name] of text.matchAll(/\$\{([A-Z0-9_]+)[^}]*\}/g)) {
        if (/PASSWORD|PWD|KEY|SECRET|TOKEN/.test(name!)) expect(reference, `${where}`).toMatch(/^\$\{[A-Z0-9_]+:\?/);
      }
    }
    expect(requiredVariables).toEqual([
      'ADMIN_API_KEY',
      'CREDENTIALS_KEYS',
      'MONGODB_PASSWORD',
      'PAYLOAD_CODEC_KEYS',
      'TEMPORAL_DB_PASSWORD',
    ]);
    for (const name of appServices)
      expect(() => interpolate(environmentOf(service(name)), {}), name).toThrow('compose would refuse to start');
  });

  it('ships .env.example naming every variable compose requires, each left empty, and keeps .env out of git', () => {
    const example = Object.fromEntries(
      readRepoFile('.env.example')
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(Object.keys(example).sort()).toEqual(requiredVariables);
    for (const [name, value] of Object.entries(example)) expect(value, `${name} ships without a value`).toBe('');
    expect(readRepoFile('.gitignore').split(/\r?\n/)).toContain('.env');
  });

  it('opts the app out of backend TLS and loopback binding only through the documented variables, because the compose network is private', () => {
    const api = environmentOf(service('api'));
    expect(api.API_HOST).toBe('0.0.0.0');
    expect(api.API_BEHIND_PROXY).toBe('true');
    for (const name of appServices) expect(environmentOf(service(name)).ALLOW_PLAINTEXT_BACKENDS, name).toBe('true');
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfileInstructions(dockerfile);

  it('builds on a pinned Node 20 base image', () => {
    const bases = instructions
      .filter((instruction) => instruction.keyword === 'FROM')
      .map((instruction) => instruction.argument.split(/\s+/)[0]!);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) {
      expect(isPinned(base), base).toBe(true);
      expect(base).toMatch(/^node:20\./);
    }
  });

  it('starts the API by default through the tsx loader', () => {
    expectRunnableEntry(dockerfileCommand(dockerfile), 'api/main.ts');
  });

  it('installs production dependencies only, and tsx is one of them', () => {
    const runs = instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.argument);
    expect(runs.some((run) => /\bnpm ci\b.*--omit=dev/.test(run))).toBe(true);
    expect(packageJson.dependencies).toHaveProperty('tsx');
  });

  it('runs as the unprivileged node user', () => {
    const user = instructions.filter((instruction) => instruction.keyword === 'USER').at(-1);
    expect(user?.argument).toBe('node');
  });

  it('exposes the API port', () => {
    const exposed = instructions
      .filter((instruction) => instruction.keyword === 'EXPOSE')
      .flatMap((instruction) => instruction.argument.split(/\s+/));
    expect(exposed).toContain('3000');
  });

  it('when building then local dependencies and runtime binaries stay out of the build context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split(/\r?\n/)
      .map((line) => line.trim().replace(/\/$/, ''));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.runtime', '.git']));
  });
});
