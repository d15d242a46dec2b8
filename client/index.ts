// The thin client's public surface: the client class, its errors and the types it returns.
export * from './inventory-client';
export * from './errors';
export type { ScheduleSummary } from './schedule-summary';
export type { ErrorCode } from '../inventory/error-codes';
