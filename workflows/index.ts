// Every workflow the worker registers. Workflow code runs in Temporal's sandbox: it imports only
// the allow-list in eslint/import-boundaries.mjs and types of everything else.
export { inventorySync } from './inventory-sync';
export { scheduledInventorySync } from './scheduled-sync';
export { inventoryReaper } from './reaper';
export { tenantCheck } from './tenant-check';
