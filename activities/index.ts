export {
  createRunActivities,
  type RunActivities,
  type RunObserver,
  type SyncPlan,
  type SyncLimits,
} from './run-activities';
export { createGraphActivities, type GraphActivities, type PageObserver } from './graph-activities';
export { createExecutionLiveness } from './execution-liveness';
export { createSlotHandoff } from './slot-handoff';
