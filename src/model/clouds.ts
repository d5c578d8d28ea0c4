/**
 * The Microsoft clouds a stack can govern, and the hosts each one's tokens are for (docs/references.md, "National
 * clouds"). One setting (`tenant.cloud`) picks all four together, so a token is only ever requested for, and sent
 * to, a Microsoft host of the tenant's own cloud. Loopback hosts are the one exception, for local emulators and
 * tests (`tenant.endpoints`).
 */
export const CLOUDS = {
  public: {
    graph: "https://graph.microsoft.com",
    arm: "https://management.azure.com",
    login: "https://login.microsoftonline.com",
    logAnalytics: "https://api.loganalytics.io",
  },
  usGovernment: {
    graph: "https://graph.microsoft.us",
    arm: "https://management.usgovcloudapi.net",
    login: "https://login.microsoftonline.us",
    logAnalytics: "https://api.loganalytics.us",
  },
  usGovernmentDoD: {
    graph: "https://dod-graph.microsoft.us",
    arm: "https://management.usgovcloudapi.net",
    login: "https://login.microsoftonline.us",
    logAnalytics: "https://api.loganalytics.us",
  },
  china: {
    graph: "https://microsoftgraph.chinacloudapi.cn",
    arm: "https://management.chinacloudapi.cn",
    login: "https://login.chinacloudapi.cn",
    logAnalytics: "https://api.loganalytics.azure.cn",
  },
} as const;

export type CloudName = keyof typeof CLOUDS;
export const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[];

/** The four services the project talks to, by base URL (origin, no trailing slash). */
export interface Endpoints {
  graph: string;
  arm: string;
  login: string;
  logAnalytics: string;
}

export type EndpointName = keyof Endpoints;
export const ENDPOINT_NAMES: readonly EndpointName[] = ["graph", "arm", "login", "logAnalytics"];

const LOOPBACK_HOST = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/i;

/** True for an http(s) URL whose host is on this machine (127.0.0.0/8, localhost, [::1]). */
export function isLoopbackUrl(value: string): boolean {
  const m = /^https?:\/\/([^/:?#]+|\[[^\]]+\])(?::\d+)?(?:[/?#]|$)/i.exec(value.trim());
  return m !== null && LOOPBACK_HOST.test(m[1]!);
}

/** The origin (`scheme://host[:port]`) of an absolute URL, lower-cased; undefined for anything else. */
export function originOf(url: string): string | undefined {
  const m = /^(https?):\/\/([^/?#]+)/i.exec(url.trim());
  return m ? `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}` : undefined;
}

/**
 * The endpoints of `cloud`, with loopback overrides for emulators and tests. An override that is not loopback is
 * refused by config validation: a token must never be sent anywhere but Microsoft or this machine.
 */
export function resolveEndpoints(cloud: CloudName, overrides: Partial<Endpoints> = {}): Endpoints {
  const base = CLOUDS[cloud];
  const pick = (name: EndpointName) => (overrides[name] ?? base[name]).replace(/\/+$/, "");
  return { graph: pick("graph"), arm: pick("arm"), login: pick("login"), logAnalytics: pick("logAnalytics") };
}

/** Whether `origin` is one of the hosts a token may be sent to for these endpoints. */
export function isTrustedOrigin(url: string, endpoints: Endpoints): boolean {
  const origin = originOf(url);
  return origin !== undefined && ENDPOINT_NAMES.some((name) => originOf(endpoints[name]) === origin);
}
