"""Fleet monitoring server, simulator and dashboard (docs/monitoring.md)."""
