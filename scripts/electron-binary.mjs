// Where the Electron binary is, without triggering the electron package's download-on-require
// (which hangs for a while and then fails on a machine that cannot reach GitHub).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {{ path: string | null, reason: string }} */
export function findElectronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    return existsSync(path)
      ? { path, reason: 'ELECTRON_OVERRIDE_DIST_PATH' }
      : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${path}` };
  }
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed (npm install)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      path: null,
      reason:
        'no Electron binary is installed (it is downloaded from GitHub at install or first start, and GitHub was not reachable)',
    };
  }
  const path = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(path)
    ? { path, reason: 'installed' }
    : { path: null, reason: `the Electron binary is missing at ${path}` };
}
