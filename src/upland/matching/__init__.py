"""Matching: text processing, embeddings, index, scoring, explanations."""
