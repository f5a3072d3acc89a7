"""Missing-tie recommendations: pairs that the network's structure and the matching engine
both suggest but that never had a relation, each with why, for the coordinator and the city
officers to act on (invite both to the next brokerage day, or introduce them)."""
