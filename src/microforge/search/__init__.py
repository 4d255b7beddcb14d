"""Constraint-aware model search (docs/search.md)."""
