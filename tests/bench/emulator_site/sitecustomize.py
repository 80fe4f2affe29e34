"""Imported at start-up by the emulator that `make bench` runs (tofu_bench.py
puts this directory on its PYTHONPATH); no other process sees it.

Python's cyclic garbage collector, on moto's large heap, stops the emulator
for 50-400 ms at a time (full collections of ~100,000 objects, measured with
gc.callbacks), and every request in flight waits: two concurrent calls of
the provider then both take ~250 ms instead of ~10 ms, a cost that neither
AWS nor the provider has and that lands on a random step. The bench
emulator lives for one bench run, so it does without the collector;
reference counting still frees everything that is not a cycle."""
import gc

gc.disable()
