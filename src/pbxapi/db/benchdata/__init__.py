"""Synthetic operator-scale data for the benchmarks (`pbxapi bench-data`): bulk-loaded
rows on raw connections, outside every request path."""
