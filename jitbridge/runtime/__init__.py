"""Runtime: the Python boundary (boxing, native dispatcher) and reference-counted memory."""
