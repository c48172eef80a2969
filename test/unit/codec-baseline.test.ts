import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { productDataConverter } from '../../config/payload-encryption.js';

describe("The overhead bench's unencrypted baseline (PAYLOAD_CODEC_DISABLED)", () => {
  it('when unset, then every process encrypts its payloads', () => {
    const config = loadConfig({});
    expect(config.payloadCodec.disabled).toBe(false);
    expect(productDataConverter(config).payloadCodecs).toHaveLength(1);
  });

  it('when set in sandbox mode, then payloads travel without a codec', () => {
    const config = loadConfig({ PAYLOAD_CODEC_DISABLED: 'true' });
    expect(config.payloadCodec.disabled).toBe(true);
    expect(productDataConverter(config).payloadCodecs).toBeUndefined();
  });

  it('when set in production, then the configuration is refused naming it', () => {
    expect(() => loadConfig({ APP_MODE: 'production', PAYLOAD_CODEC_DISABLED: 'true' })).toThrow(
      /PAYLOAD_CODEC_DISABLED: production always encrypts Temporal payloads/,
    );
  });
});
