"""Registry: organisations, their sites, people, PKD codes and capabilities."""

from upland.organisations import labels as labels
