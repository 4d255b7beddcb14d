"""On-device monitoring: the summaries a deployed pipeline keeps per report period (in C and,
bit for bit the same, in Python), the authenticated CBOR telemetry record, and the drift
statistics a server computes from decoded records (docs/monitoring.md)."""
