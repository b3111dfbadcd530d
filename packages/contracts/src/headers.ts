/**
 * Headers on internal service-invocation calls. Only the gateway sets the caller headers;
 * in a cluster, Dapr access control lets only the gateway invoke the services.
 */
export const Headers = {
  requestId: 'x-request-id',
  callerUsername: 'x-sitter-username',
  /** Comma-separated roles: PARENT, NANNY, ADMIN. */
  callerRoles: 'x-sitter-roles',
} as const;
