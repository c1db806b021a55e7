// Electron entry (out/main/index.js). Everything lives in src/main/electron; see desktop-app.ts.
import { runDesktopApp } from './electron/desktop-app';

void runDesktopApp();
