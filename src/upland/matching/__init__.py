"""Matching (issue 10): suggestions of partners for a need, an offer or an organisation.

Hybrid retrieval: BM25 over the registry's analyser (`lexical`), sentence embeddings stored
per text version (`models`, `service`) searched exactly or through a usearch graph (`dense`),
fused with care for cross-language queries (`fusion`), intersected with what the asker may
open (`engine`). Evaluated on the frozen set of `eval_data` (`evaluation`).
"""

from upland.matching import feedback as feedback  # verdicts on suggestions
from upland.matching import panels as panels  # suggested partners on item pages
from upland.matching import permissions as permissions  # registers the area's rules
from upland.matching import schedule as schedule  # flags of who may open items, hourly
from upland.matching import subscriptions as subscriptions  # refreshes vectors on changes
