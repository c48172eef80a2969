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
  });

  it.each([
    ['API_PORT', 'not-a-port'],
    ['API_PORT', '70000'],
    ['TEMPORAL_UI_PORT', '-1'],
    ['APP_MODE', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['WORKER_MAX_CONCURRENT_ACTIVITIES', '0'],
    ['TEMPORAL_TLS', 'maybe'],
  ])('when %s=%s then it refuses to start and names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('lists every problem at once, not only the first', () => {
    expect(() => loadConfig({ API_PORT: 'x', MONGODB_PORT: 'y' })).toThrow(/API_PORT[\s\S]*MONGODB_PORT/);
  });

  const productionKey = `prod-1:${Buffer.alloc(32, 9).toString('base64')}`;
  const production = {
    APP_MODE: 'production',
    MONGODB_URI: 'mongodb://db/',
    TEMPORAL_ADDRESS: 'temporal:7233',
    CREDENTIALS_KEYS: productionKey,
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
});
