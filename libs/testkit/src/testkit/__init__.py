"""Pytest fixtures for tests against the real broker and database."""
