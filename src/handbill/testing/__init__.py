"""Pytest plugins for Handbill's tests: real site builds and a real browser."""
