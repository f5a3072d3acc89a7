"""Text analysis shared by every area: folding, sentence embeddings and vector search.

Below the areas and above the core: the PKD suggester uses it today, matchmaking ranks on it
tomorrow; it knows nothing of any area.
"""
