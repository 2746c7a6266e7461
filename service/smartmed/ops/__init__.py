"""Operations: reloading, snapshots, metrics, the access log, the runner, stats."""
