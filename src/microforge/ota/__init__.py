"""Secure over-the-air model updates: keys, signed bundles (MCUboot image format), the
device-side verifier's sources (docs/ota.md)."""
