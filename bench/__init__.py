"""Echo's benchmark: `make bench` (see README, "Benchmark")."""
