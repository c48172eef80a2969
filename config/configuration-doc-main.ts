import fs from 'node:fs';
import path from 'node:path';
import { configurationDocPath, renderConfigurationDoc } from './configuration-doc.js';
import { projectRoot } from './index.js';

/** `npm run docs:config`: rewrites docs/configuration.md from the configuration schema. */
const target = path.join(projectRoot, configurationDocPath);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderConfigurationDoc());
process.stdout.write(`[docs] wrote ${configurationDocPath}\n`);
