"""Third-party servers the tests run against over loopback (peers nobody here wrote)."""
