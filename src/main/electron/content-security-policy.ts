/**
 * The renderer's Content-Security-Policy. src/renderer/index.html carries the same policy in a
 * meta tag, which is what protects the production window: Chromium does not run `file://` loads
 * through `webRequest`, so a header cannot be attached to them. The header set in
 * session-guards.ts still covers every http(s) response the session receives, so a page that was
 * somehow loaded over the network gets the policy too. Keep the two copies the same
 * (test/unit/electron-window.test.ts checks it).
 *
 * `style-src 'unsafe-inline'`: the charts set inline styles. No inline script, no eval, no remote
 * origin anywhere. `frame-ancestors` takes effect only as a header; Chromium ignores it (with a
 * console error) in a meta tag, so the meta copy may leave it out.
 */
export const RENDERER_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
