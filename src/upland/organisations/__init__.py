"""Registry: organisations, their sites, people, PKD codes and capabilities."""
