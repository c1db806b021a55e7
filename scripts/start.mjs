// `npm start`: the desktop console when an Electron binary is installed, else the same console
// served to a browser (headless mode), saying why.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { findElectronBinary } from './electron-binary.mjs';

const require = createRequire(import.meta.url);

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
}

const build = spawnSync(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = findElectronBinary();
if (electron.path) {
  run(electron.path, ['.']);
} else {
  console.log(`Electron cannot start here: ${electron.reason}.\nServing the same console to your browser instead (headless mode).`);
  run(process.execPath, ['out/main/headless.js']);
}
