// Runs after `npm install`. Electron's own install script is blocked in package.json
// (`allowScripts.electron: false`) because its binary download takes the whole install down on
// a machine without internet. Here we try it ourselves and only warn when it cannot be fetched:
// with internet you get a working desktop app, without it the browser mode (`aura-kd serve`)
// and every test still work.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || process.env.CI) process.exit(0);
let installer;
try {
  installer = require.resolve('electron/install.js');
} catch {
  process.exit(0); // production install without devDependencies
}
if (!existsSync(installer)) process.exit(0);
const result = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
if (result.status !== 0) {
  console.warn(
    '[aura-kd] Electron binary could not be downloaded (offline?). The desktop window is unavailable;\n' +
      '          use browser mode instead: npx aura-kd serve   (retry later with: node node_modules/electron/install.js)',
  );
}
