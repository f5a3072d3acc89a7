"""The marketplace's demo history written into the database: the specs of
`demo.opportunities` replayed step by step through the market's services (`load`), in the
order of one timeline (`steps`)."""

from upland.demo.history.load import load_market

__all__ = ["load_market"]
