// Meta's error envelope and the errors the emulator raises, worded as Meta words them (reference §2,
// §9–§11). Handlers throw GraphError; graph-route.ts alone turns it into HTTP.
export interface GraphErrorInit {
  message: string;
  code: number;
  subcode?: number;
  type?: string;
  status?: number;
  isTransient?: boolean;
}

export class GraphError extends Error {
  readonly code: number;
  readonly subcode: number | undefined;
  readonly type: string;
  readonly status: number;
  readonly isTransient: boolean | undefined;

  constructor(init: GraphErrorInit) {
    super(init.message);
    this.name = 'GraphError';
    this.code = init.code;
    this.subcode = init.subcode;
    this.type = init.type ?? 'OAuthException';
    this.status = init.status ?? 400;
    this.isTransient = init.isTransient;
  }
}

export function errorEnvelope(err: GraphError, fbtraceId: string) {
  return {
    error: {
      message: err.message,
      type: err.type,
      code: err.code,
      ...(err.subcode !== undefined ? { error_subcode: err.subcode } : {}),
      ...(err.isTransient !== undefined ? { is_transient: err.isTransient } : {}),
      fbtrace_id: fbtraceId,
    },
  };
}

/** Meta adds `WWW-Authenticate: OAuth "Facebook Platform" "<kind>" "<message>"` to OAuthException errors. */
export function wwwAuthenticate(err: GraphError): string | null {
  if (err.type !== 'OAuthException') return null;
  const kind =
    err.subcode !== undefined && err.subcode >= 36000 && err.subcode < 36100
      ? 'invalid_code'
      : err.code === 190
        ? 'invalid_token'
        : err.code === 10 || (err.code >= 200 && err.code < 300)
          ? 'insufficient_scope'
          : 'invalid_request';
  return `OAuth "Facebook Platform" "${kind}" "${err.message.replace(/"/g, "'")}"`;
}

const GRAPH_DOCS =
  'Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api';

export const unsupportedRequest = (method: string, id: string) =>
  new GraphError({
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. ${GRAPH_DOCS}`,
    type: 'GraphMethodException',
    code: 100,
    subcode: 33,
  });

export const nonexistingField = (field: string, nodeType: string) =>
  new GraphError({
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
    code: 100,
  });

export const invalidParameter = (message: string) =>
  new GraphError({ message: `(#100) ${message}`, code: 100 });

export const accessTokenRequired = () =>
  new GraphError({ message: 'An access token is required to request this resource.', code: 104 });

export const activeTokenRequired = () =>
  new GraphError({
    message: 'An active access token must be used to query information about the current user.',
    code: 2500,
  });

export const missingProof = () =>
  new GraphError({
    message: 'API calls from the server require an appsecret_proof argument',
    type: 'GraphMethodException',
    code: 100,
  });

export const invalidProof = () =>
  new GraphError({
    message: 'Invalid appsecret_proof provided in the API argument',
    type: 'GraphMethodException',
    code: 100,
  });

export const pageTokenRequired = () =>
  new GraphError({ message: '(#210) A page access token is required to request this resource.', code: 210 });

export const appTokenRequired = () =>
  new GraphError({ message: '(#15) This method must be called with an app access_token.', code: 15 });

export const requiresPermission = (permission: string) =>
  new GraphError({ message: `(#200) Requires ${permission} permission to manage the object`, code: 200 });

export const unknownError = () =>
  new GraphError({ message: 'An unknown error has occurred.', code: 1, status: 500, isTransient: true });
