"""DataLoader internals: collation, fetching, worker processes (mirrors torch's layout)."""

# How often (seconds) a waiting worker checks that the main process is still alive.
MP_STATUS_CHECK_INTERVAL = 5.0

# How often (seconds) the main process, waiting for a batch, checks that its workers are alive.
# Shorter than torch's signal-based path needs: it bounds how long a killed worker goes unnoticed.
WORKER_CHECK_INTERVAL = 0.5

# How long shutdown waits for a worker to exit by itself before terminating it.
WORKER_JOIN_TIMEOUT = 5.0
