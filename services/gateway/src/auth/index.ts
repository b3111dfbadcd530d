export * from './auth-config';
export * from './authenticator';
export * from './api-keys';
export { mapRoles, parseRoleMap, ROLES, type RoleMap } from './roles';
export { createKeySource, type KeySource, type VerificationKey } from './key-source';
export { VerifiedTokenCache } from './verified-token-cache';
