// The one server version the simulated gateway speaks. Every encoder lays messages out for exactly this version
// (the @stoqey/ib 1.6.x decoder's MAX_SUPPORTED_SERVER_VERSION), so there is no per-field version gating to get wrong.

export const SERVER_VERSION = 193;

/** Picks the version to answer a client's "v<min>..<max>" range with; null when the range excludes 193. */
export function negotiateVersion(clientMin: number, clientMax: number): number | null {
  return clientMin <= SERVER_VERSION && SERVER_VERSION <= clientMax ? SERVER_VERSION : null;
}
