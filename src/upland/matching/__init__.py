"""Matching (issue 10): suggestions of partners for a need, an offer or an organisation.

So far only its frozen evaluation set (`eval_data`): the engine is tuned against it later.
"""
