#!/bin/sh
# One-shot creation of the namespace the worker polls, run by the `temporal-namespace` service in
# the temporalio/admin-tools image once the server answers. auto-setup registered `default` itself;
# the server image does not (temporalio/samples-server, compose/scripts/create-namespace.sh).
# The Temporal CLI reads the server's address from TEMPORAL_ADDRESS.
set -eu

# The frontend's port opens before its services are ready; give it a minute.
tries=0
until temporal operator cluster health >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "temporal-namespace: $TEMPORAL_ADDRESS is not healthy after 60s" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "temporal-namespace: $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$NAMESPACE_RETENTION"
  echo "temporal-namespace: created $TEMPORAL_NAMESPACE (retention $NAMESPACE_RETENTION)"
fi
