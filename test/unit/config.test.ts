import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, sandboxDefaults } from '../../config/index.js';

describe('loadConfig', () => {
  it('when nothing is set then it describes the local sandbox stack on the documented ports', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.api.port).toBe(3000);
    expect(config.temporal).toMatchObject({
      address: undefined,
      namespace: 'default',
      taskQueue: 'storefront-sync',
      localPort: 7233,
      localUiPort: 8233,
      tls: undefined,
    });
    expect(config.mongo).toEqual({ uri: undefined, database: 'storefront_sync', localPort: 27017 });
    expect(config.runtime.dataDir).toBe(`${config.runtime.dir}/data`);
    expect(config.connectors).toEqual({ intacctConcurrencyPerCompany: 2, intacctConcurrencyPerTenant: 4, intacctConcurrencyTotal: 64 });
  });

  it.each([
    ['API_PORT', 'not-a-port'],
    ['API_PORT', '70000'],
    ['TEMPORAL_UI_PORT', '-1'],
    ['APP_MODE', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['WORKER_MAX_CONCURRENT_ACTIVITIES', '0'],
    ['WORKER_MAX_CACHED_WORKFLOWS', '1'],
    ['INTACCT_CONCURRENCY_TOTAL', '0'],
    ['TEMPORAL_TLS', 'maybe'],
  ])('when %s=%s then it refuses to start and names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('when the workflow cache is smaller than the workflow task slots then it refuses to start and names both', () => {
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '30' })).toThrow(
      'WORKER_MAX_CACHED_WORKFLOWS (30) must be at least WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (40)',
    );
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '30', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '20' }).worker.maxCachedWorkflows).toBe(
      30,
    );
    expect(loadConfig({}).worker.maxCachedWorkflows).toBe(500);
  });

  it('lists every problem at once, not only the first', () => {
    expect(() => loadConfig({ API_PORT: 'x', MONGODB_PORT: 'y' })).toThrow(/API_PORT[\s\S]*MONGODB_PORT/);
  });

  const productionKey = `prod-1:${randomBytes(32).toString('base64')}`;
  const production = {
    APP_MODE: 'production',
    MONGODB_URI: 'mongodb://db/?tls=true',
    TEMPORAL_ADDRESS: 'temporal:7233',
    TEMPORAL_TLS: 'true',
    CREDENTIALS_KEYS: productionKey,
    PAYLOAD_CODEC_KEYS: `p1:${randomBytes(32).toString('base64')}`,
  };

  it('when production mode lacks a Temporal address or MongoDB URI then it refuses, since nothing is started locally', () => {
    expect(() => loadConfig({ ...production, TEMPORAL_ADDRESS: '' })).toThrow('TEMPORAL_ADDRESS and MONGODB_URI');
    expect(loadConfig(production).mode).toBe('production');
  });

  it('when production mode is given a sandbox demo secret, or no credentials key, then it refuses to start', () => {
    expect(() => loadConfig({ ...production, ADMIN_API_KEY: 'demo-admin-key' })).toThrow('ADMIN_API_KEY');
    expect(() => loadConfig({ ...production, CREDENTIALS_KEYS: `sandbox-1:${sandboxDefaults.credentialsKey}` })).toThrow('sandbox key');
    expect(() => loadConfig({ ...production, CREDENTIALS_KEYS: '' })).toThrow('CREDENTIALS_KEYS: required in production');
    expect(loadConfig(production).admin.bootstrapApiKey).toBeUndefined();
  });

  it('in sandbox mode the demo admin key and the sandbox credentials key are the defaults', () => {
    const config = loadConfig({});
    expect(config.admin.bootstrapApiKey).toBe('demo-admin-key');
    expect(config.credentials.activeKeyId).toBe('sandbox-1');
    expect(config.credentials.keys.get('sandbox-1')).toHaveLength(32);
  });

  it.each([
    ['k1:short', 'must be 32 bytes'],
    ['no-separator', 'id:base64key'],
    [`bad id!:${Buffer.alloc(32).toString('base64')}`, 'id:base64key'],
  ])('when CREDENTIALS_KEYS=%s then it refuses (%s)', (keys, message) => {
    expect(() => loadConfig({ CREDENTIALS_KEYS: keys })).toThrow(message);
  });

  it('when several credential keys are configured then the named one is active and all of them decrypt', () => {
    const keys = `old:${Buffer.alloc(32, 1).toString('base64')},new:${Buffer.alloc(32, 2).toString('base64')}`;
    expect(loadConfig({ CREDENTIALS_KEYS: keys }).credentials.activeKeyId).toBe('new');
    expect(loadConfig({ CREDENTIALS_KEYS: keys, CREDENTIALS_ACTIVE_KEY_ID: 'old' }).credentials.keys.size).toBe(2);
    expect(() => loadConfig({ CREDENTIALS_KEYS: keys, CREDENTIALS_ACTIVE_KEY_ID: 'missing' })).toThrow('CREDENTIALS_ACTIVE_KEY_ID');
  });

  it('when a Temporal Cloud API key is set then TLS is on', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'key' });
    expect(config.temporal.apiKey).toBe('key');
    expect(config.temporal.tls).toEqual({ certPath: undefined, keyPath: undefined, caPath: undefined, serverName: undefined });
  });

  it('when an mTLS certificate is set without its key then it refuses', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/certs/client.pem' })).toThrow('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH');
  });

  it('treats empty variables as unset (docker-compose passes empty strings)', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '', MONGODB_URI: '  ' })).toMatchObject({
      temporal: { address: undefined },
      mongo: { uri: undefined },
    });
  });

  it('when nothing is set then the API and the sandboxes listen on loopback only and sandbox control is on', () => {
    const config = loadConfig({});
    expect(config.api.host).toBe('127.0.0.1');
    expect(config.sandbox.host).toBe('127.0.0.1');
    expect(config.sandbox.controlEnabled).toBe(true);
  });

  it('when API_TRUSTED_PROXIES is unset or empty then no proxy is trusted; when set then it lists each address, CIDR or named range', () => {
    expect(loadConfig({}).api.trustedProxies).toEqual([]);
    expect(loadConfig({ API_TRUSTED_PROXIES: '' }).api.trustedProxies).toEqual([]);
    expect(loadConfig({ API_TRUSTED_PROXIES: ' 10.0.0.5, 172.16.0.0/12 ,fd00::/8,::1,loopback' }).api.trustedProxies).toEqual([
      '10.0.0.5',
      '172.16.0.0/12',
      'fd00::/8',
      '::1',
      'loopback',
    ]);
  });

  it.each(['*', 'proxy.internal', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', '10.0.0.0/'])(
    'when API_TRUSTED_PROXIES names %s then it refuses to start',
    (entry) => {
      expect(() => loadConfig({ API_TRUSTED_PROXIES: `10.0.0.1,${entry}` })).toThrow(/API_TRUSTED_PROXIES/);
    },
  );

  describe('production mode refuses weak settings at start-up (security finding 5)', () => {
    it('when the settings are strong then production starts, with sandbox control off', () => {
      const config = loadConfig(production);
      expect(config.mode).toBe('production');
      expect(config.sandbox.controlEnabled).toBe(false);
    });

    it.each([
      ['a 12-character admin key', { ADMIN_API_KEY: 'abcdefghijkl' }, 'ADMIN_API_KEY: use at least 32'],
      [
        'an all-zero credentials key',
        { CREDENTIALS_KEYS: `z:${Buffer.alloc(32).toString('base64')}` },
        'CREDENTIALS_KEYS: a key is not random',
      ],
      ['no TLS to Temporal', { TEMPORAL_TLS: 'false' }, 'TEMPORAL_TLS: production connects to Temporal over TLS'],
      ['no TLS to MongoDB', { MONGODB_URI: 'mongodb://db/' }, 'MONGODB_URI: production connects to MongoDB over TLS'],
      ['TLS to MongoDB turned off explicitly', { MONGODB_URI: 'mongodb+srv://db.example.com/?tls=false' }, 'MONGODB_URI: production'],
      ['MongoDB certificate checks off', { MONGODB_URI: 'mongodb://db/?tls=true&tlsInsecure=true' }, 'MONGODB_URI: certificate checks'],
      ['trace logging', { LOG_LEVEL: 'trace' }, 'LOG_LEVEL: trace'],
      ['sandbox control on', { SANDBOX_CONTROL: 'true' }, 'SANDBOX_CONTROL'],
      ['a bind on every interface', { API_HOST: '0.0.0.0' }, 'API_HOST: 0.0.0.0'],
      ['a bind on every IPv6 interface', { API_HOST: '::' }, 'API_HOST: ::'],
      ['a bind on a public address', { API_HOST: '203.0.113.9' }, 'API_HOST: 203.0.113.9'],
    ])('when production is given %s then it refuses to start and says why', (_case, change, message) => {
      expect(() => loadConfig({ ...production, ...change })).toThrow(ConfigError);
      expect(() => loadConfig({ ...production, ...change })).toThrow(message);
    });

    it('when every weak setting is given at once then one message lists every problem', () => {
      const weak = {
        APP_MODE: 'production',
        TEMPORAL_ADDRESS: 'temporal:7233',
        MONGODB_URI: 'mongodb://db/',
        ADMIN_API_KEY: 'abcdefghijkl',
        CREDENTIALS_KEYS: `z:${Buffer.alloc(32).toString('base64')}`,
        LOG_LEVEL: 'trace',
        SANDBOX_CONTROL: 'true',
        API_HOST: '0.0.0.0',
      };
      let message = '';
      try {
        loadConfig(weak);
      } catch (error) {
        message = (error as Error).message;
      }
      for (const variable of [
        'ADMIN_API_KEY',
        'CREDENTIALS_KEYS',
        'PAYLOAD_CODEC_KEYS',
        'TEMPORAL_TLS',
        'MONGODB_URI',
        'LOG_LEVEL',
        'SANDBOX_CONTROL',
        'API_HOST',
      ])
        expect(message).toContain(`\n  ${variable}:`);
      expect(message.match(/invalid configuration/g)).toHaveLength(1);
    });

    it('when the backends are on a private network and the API sits behind a proxy then the documented opt-outs allow plain connections and a wildcard bind', () => {
      const inCluster = {
        ...production,
        MONGODB_URI: 'mongodb://mongodb:27017/?replicaSet=rs0',
        TEMPORAL_TLS: '',
        API_HOST: '0.0.0.0',
        ALLOW_PLAINTEXT_BACKENDS: 'true',
        API_BEHIND_PROXY: 'true',
      };
      expect(loadConfig(inCluster).api.host).toBe('0.0.0.0');
      // The opt-outs never excuse certificate checks being off.
      expect(() => loadConfig({ ...inCluster, MONGODB_URI: 'mongodb://db/?tls=true&tlsAllowInvalidCertificates=true' })).toThrow(
        'certificate checks',
      );
    });

    it.each(['127.0.0.1', '10.1.2.3', '192.168.0.10', '::1', 'fd00::5'])('when the API binds %s then production accepts it', (host) => {
      expect(loadConfig({ ...production, API_HOST: host }).api.host).toBe(host);
    });
  });
});
