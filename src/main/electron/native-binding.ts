import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is a native module, and a .node file is built for one ABI: Electron's differs
 * from Node's. One node_modules can hold only one build, and Vitest (plain Node) needs Node's, so
 * the Electron build lives beside it and reaches the engine through better-sqlite3's
 * `nativeBinding` option.
 *
 * Development — produce the Electron build once (again after changing the Electron version),
 * in a copy of the package so that node_modules keeps Node's build for the tests:
 *
 *   rm -rf /tmp/better-sqlite3-electron && cp -r node_modules/better-sqlite3 /tmp/better-sqlite3-electron
 *   (cd /tmp/better-sqlite3-electron && npx prebuild-install --runtime electron \
 *     --target "$(node -p "require('electron/package.json').version")")
 *   mkdir -p native/electron && cp /tmp/better-sqlite3-electron/build/Release/better_sqlite3.node native/electron/
 *
 * (prebuild-install downloads the prebuilt binary from GitHub; where that is out of reach,
 * `npx node-gyp rebuild --release --runtime=electron --target=<version>` with Electron's headers
 * as `--dist-url`, run in the copy, compiles it.)
 *
 * Packaged app — electron-builder rebuilds better-sqlite3 for Electron while packaging
 * (`npmRebuild: true`) and unpacks it from the asar (`asarUnpack` in electron-builder.yml).
 *
 * Returns undefined when no Electron build is found; better-sqlite3 then loads its default build,
 * which works in a packaged app and fails in development with an ABI error (the startup dialog
 * points here).
 */
export interface NativeBindingLocations {
  isPackaged: boolean;
  /** `app.getAppPath()`: the project root in development. */
  appPath: string;
  /** `process.resourcesPath`: where app.asar and app.asar.unpacked live when packaged. */
  resourcesPath: string;
}

export const BINDING_FILE = 'better_sqlite3.node';

export function electronNativeBinding(
  locations: NativeBindingLocations,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  const candidates = locations.isPackaged
    ? [
        join(
          locations.resourcesPath,
          'app.asar.unpacked',
          'node_modules',
          'better-sqlite3',
          'build',
          'Release',
          BINDING_FILE,
        ),
      ]
    : [join(locations.appPath, 'native', 'electron', BINDING_FILE)];
  return candidates.find((path) => exists(path));
}

/** How to fix "compiled against a different Node.js version" in development, for the startup dialog. */
export const NATIVE_BINDING_HINT =
  'better-sqlite3 is not built for Electron. Put an Electron build at native/electron/better_sqlite3.node ' +
  '(see src/main/electron/native-binding.ts), or run `npm run headless` to use the console without Electron.';
