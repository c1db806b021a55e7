/**
 * What the audit trail and the session list call a browser session: the browser and system from
 * its User-Agent and when it signed in, e.g. "Firefox on Linux, signed in 2026-12-02 17:40 UTC".
 * Only for people to read; nothing trusts it.
 */
export function sessionLabel(userAgent: string | undefined, at: number): string {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /curl\//.test(ua)
            ? 'curl'
            : 'A browser';
  const system = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS X|Macintosh/.test(ua)
      ? 'macOS'
      : /Android/.test(ua)
        ? 'Android'
        : /iPhone|iPad/.test(ua)
          ? 'iOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  const when = new Date(at).toISOString().slice(0, 16).replace('T', ' ');
  return `${browser}${system ? ` on ${system}` : ''}, signed in ${when} UTC`;
}
