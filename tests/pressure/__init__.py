"""Proofs under pressure: SIGKILL crashes, concurrent editors, hypothesis fuzzing, bench smoke."""
