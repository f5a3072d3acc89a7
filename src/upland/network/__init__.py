"""Cooperation network: relations between organisations and the metrics the cities follow
(`metrics`, pure graph analytics)."""
