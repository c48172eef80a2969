import { loadConfig } from '../../config/index.js';
import { mongoUri } from '../../config/mongo.js';
import { CredentialCipher } from '../credential-cipher.js';
import { reEncryptCredentials } from '../credentials.js';
import { openDatabase } from '../database.js';

/**
 * `npm run credentials:reencrypt`: after adding a new key to CREDENTIALS_KEYS and making it
 * CREDENTIALS_ACTIVE_KEY_ID, re-seals every stored credential under it. Idempotent; the old
 * key can be removed once this reports nothing left under it.
 */
const config = loadConfig();
const database = openDatabase({ uri: mongoUri(config), database: config.mongo.database });
try {
  const result = await reEncryptCredentials(database.db, new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId));
  process.stdout.write(`${JSON.stringify({ activeKeyId: config.credentials.activeKeyId, ...result })}\n`);
} catch (error) {
  process.stderr.write(`re-encryption failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
