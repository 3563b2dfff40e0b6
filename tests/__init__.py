"""Tests of the John Wick knowledge graph (run with: make test)."""
