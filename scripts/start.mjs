// `npm start`: the desktop console when an Electron binary is installed, else the same console
// served to a browser (headless mode), saying why.
// (`npm start` builds first: see package.json.)
import { spawn } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
}

const electron = findElectronBinary();
if (electron.path) {
  run(electron.path, ['.']);
} else {
  console.log(
    `Electron cannot start here: ${electron.reason}.\nServing the same console to your browser instead (headless mode).`,
  );
  run(process.execPath, ['out/main/headless.js']);
}
