/**
 * Temporal calls that fail because the service is not there (or too slow) become
 * `temporal_unavailable` with one line saying so; every other failure passes through unchanged.
 */
import { ServiceError, isGrpcServiceError } from '@temporalio/client';
import { InventoryError } from '../inventory/error-codes';

// gRPC status codes (grpc/grpc doc/statuscodes.md).
const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE = 14;

function unreachableReason(error: unknown): string | null {
  const grpc = isGrpcServiceError(error)
    ? error
    : error instanceof ServiceError && isGrpcServiceError(error.cause)
      ? error.cause
      : null;
  const code = Number(grpc?.code);
  if (!grpc || (code !== UNAVAILABLE && code !== DEADLINE_EXCEEDED)) return null;
  return grpc.details || grpc.message;
}

/**
 * Awaits `work`; a gRPC UNAVAILABLE or DEADLINE_EXCEEDED, bare or as a ServiceError's cause, becomes
 * `temporal_unavailable`.
 */
export async function orTemporalUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const reason = unreachableReason(error);
    if (reason === null) throw error;
    throw new InventoryError(
      'temporal_unavailable',
      `the Temporal service did not answer (${reason.split('\n')[0]})`,
    );
  }
}
