/**
 * Search attributes that make sync runs findable in the Temporal UI and CLI
 * (`TenantId = "…" AND SelectionHash = "…"`). Plain key objects, usable from workflow code, the
 * client and the dev server's registration alike.
 */
export const TENANT_ID_ATTRIBUTE = { name: 'TenantId', type: 'KEYWORD' } as const;
export const SELECTION_HASH_ATTRIBUTE = { name: 'SelectionHash', type: 'KEYWORD' } as const;
export const SEARCH_ATTRIBUTES = [TENANT_ID_ATTRIBUTE, SELECTION_HASH_ATTRIBUTE] as const;
