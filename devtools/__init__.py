"""Developer tooling for Homebound: a real Home Assistant process harness and the demo."""
