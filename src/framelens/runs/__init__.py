"""Running a study: the experiment config and runner, partitioned processing, engines, caches.

``config`` reads and checks an experiment's TOML; ``experiment`` runs it stage by stage
(``stages``) and writes the manifest; ``scoring`` is the in-memory composition behind
``framelens score``; ``process`` runs the same flow on partitions of a large input through an
``engines`` backend (local processes or Dask) with atomic, resumable ``partitions``;
``table_cache`` lets a rerun recompute nothing.

The top of the library: it composes every layer below and holds no analysis of its own. The
command line (and a user's script) calls it; no layer below imports it.
"""
