"""The demo world: about 150 fictional organisations and one log-in per role.

`world.build_world(seed)` generates the data as plain, validated schema objects (pure and
deterministic); `load.load_world(session, world)` writes it through the services. Every firm,
person, identifier and address is invented; the cities, public bodies and classifications
(TERYT, PKD 2025, the capability vocabulary) are real.
"""
