"""Firewall tests: real nftables in network namespaces made by the tests."""
