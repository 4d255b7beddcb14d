"""The fleet simulator (`microforge fleet simulate`): virtual devices running the compiled C
pipeline with its monitor on real recordings, drift scenarios, and one device on an emulated
Cortex-M4 behind a gateway (docs/monitoring.md, "Fleet simulator")."""
