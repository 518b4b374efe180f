"""Quoting service: owns quotes, priced proposals to a customer."""
