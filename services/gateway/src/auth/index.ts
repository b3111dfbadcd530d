export * from './auth-config';
export * from './authenticator';
export * from './api-keys';
export * from './rate-limits';
export * from './rate-limit-config';
export { mapRoles, parseRoleMap, ROLES, type RoleMap } from './roles';
export { createKeySource, type KeySource, type VerificationKey } from './key-source';
export { VerifiedTokenCache } from './verified-token-cache';
