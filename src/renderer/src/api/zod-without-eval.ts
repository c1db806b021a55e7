import { z } from 'zod';

/**
 * The renderer's CSP forbids eval. Zod 4 probes for it with `new Function` before compiling fast
 * parsers; the probe is caught, but Chromium still reports it as a CSP violation. Jitless mode
 * skips the probe. Imported first by main.tsx so it runs before anything parses.
 */
z.config({ jitless: true });
