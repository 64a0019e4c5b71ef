"""Tests of Homebound."""
