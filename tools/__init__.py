"""Developer tools (not in the runtime wheel): the sample program generator and the benchmarks."""
