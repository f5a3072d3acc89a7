"""Upland: cooperation platform for the Lublin Automotive and Machinery Upland cluster."""

__version__ = "0.1.0"
