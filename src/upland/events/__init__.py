"""Events: brokerage days, registrations, meeting requests and their schedule."""
