// Every workflow the worker registers. Workflow code runs in Temporal's sandbox: it imports only
// @temporalio/workflow, pure modules, and types of activities.
export { inventorySync, progressQuery } from './inventory-sync';
export { scheduledInventorySync } from './scheduled-sync';
export { inventoryReaper } from './reaper';
