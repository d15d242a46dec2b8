export { createRunActivities, type RunActivities, type SyncPlan, type SyncLimits } from './run-activities';
export { createGraphActivities, type GraphActivities } from './graph-activities';
export { createExecutionLiveness } from './execution-liveness';
