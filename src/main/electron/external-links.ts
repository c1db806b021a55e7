/**
 * Which links may leave the console for the user's browser. Everything else is dropped: the
 * renderer shows text that came from iCIMS and from scheduling events (error messages, candidate
 * names), and a link smuggled into it must not be able to open an arbitrary site or a
 * `file:`/custom-scheme URL through `shell.openExternal`.
 */

/** Documentation the console links to. Keep this list explicit and short. */
export const DOCUMENTATION_HOSTS: readonly string[] = ['developer.icims.com', 'www.icims.com', 'care.icims.com'];

export interface ExternalLinkPolicy {
  isAllowed(url: string): boolean;
}

/**
 * @param configuredBaseUrls the iCIMS base URL(s) in effect right now, and the origin of Settings'
 *   "iCIMS web address for links" (they change when an admin saves Settings, so they are read at
 *   every check). Only their hosts count, over https on the default port.
 */
export function createExternalLinkPolicy(configuredBaseUrls: () => readonly string[]): ExternalLinkPolicy {
  return {
    isAllowed(value) {
      const url = parseHttpsUrl(value);
      if (!url) return false;
      const allowed = new Set(DOCUMENTATION_HOSTS);
      for (const base of configuredBaseUrls()) {
        const host = parseHttpsUrl(base)?.hostname;
        if (host) allowed.add(host);
      }
      return allowed.has(url.hostname);
    },
  };
}

/** https only, default port, no credentials in the URL. */
function parseHttpsUrl(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '') return null;
  return url;
}
