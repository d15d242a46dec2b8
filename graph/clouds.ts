/**
 * Microsoft's national clouds by name: each has its own Graph origin, Entra authority and token
 * audience (https://learn.microsoft.com/graph/deployments). Entra issues Graph tokens only for the
 * Graph audience of its cloud, so the audience comes from the cloud, never from where requests go:
 * GRAPH_BASE_URL and AZURE_AUTHORITY_HOST may point at a gateway, a private endpoint or a test
 * double, and the token is still asked for `<the cloud's Graph origin>/.default`.
 */

export const GRAPH_CLOUDS = {
  global: { graphOrigin: 'https://graph.microsoft.com', authorityHost: 'https://login.microsoftonline.com' },
  /** US Government L4 (GCC High). */
  usgov: { graphOrigin: 'https://graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us' },
  /** US Government L5 (DoD): its own Graph, the same authority as GCC High. */
  'usgov-dod': {
    graphOrigin: 'https://dod-graph.microsoft.us',
    authorityHost: 'https://login.microsoftonline.us',
  },
  /** Operated by 21Vianet. */
  china: {
    graphOrigin: 'https://microsoftgraph.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
  },
} as const satisfies Record<string, { graphOrigin: string; authorityHost: string }>;

export type GraphCloud = keyof typeof GRAPH_CLOUDS;

export const GRAPH_CLOUD_NAMES = Object.keys(GRAPH_CLOUDS) as [GraphCloud, ...GraphCloud[]];

/** The client-credentials scope for the cloud's Graph: `<Graph origin>/.default`. */
export function graphScope(cloud: GraphCloud): string {
  return `${GRAPH_CLOUDS[cloud].graphOrigin}/.default`;
}

/** Where Graph and token requests go, and which audience the token is for. */
export interface GraphTarget {
  cloud: GraphCloud;
  /** Origin Graph requests are sent to. */
  graphBaseUrl: string;
  /** Origin token requests are sent to. */
  authorityHost: string;
  /** The scope asked for, `<resource>/.default`. */
  tokenScope: string;
}

/**
 * The cloud's endpoints and audience, with GRAPH_BASE_URL / AZURE_AUTHORITY_HOST overriding only
 * where requests go and GRAPH_TOKEN_SCOPE overriding only the audience (all values already
 * validated origins and scope).
 */
export function resolveGraphTarget(settings: {
  cloud: GraphCloud;
  graphBaseUrl?: string | undefined;
  authorityHost?: string | undefined;
  tokenScope?: string | undefined;
}): GraphTarget {
  const cloud = GRAPH_CLOUDS[settings.cloud];
  return {
    cloud: settings.cloud,
    graphBaseUrl: settings.graphBaseUrl ?? cloud.graphOrigin,
    authorityHost: settings.authorityHost ?? cloud.authorityHost,
    tokenScope: settings.tokenScope ?? graphScope(settings.cloud),
  };
}
