"""Reference data: classifications, municipalities, capability vocabulary."""
