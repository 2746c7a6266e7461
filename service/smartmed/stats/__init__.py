"""Partner stats: widget events counted per day, kept in SQLite or PostgreSQL.

events (what a beacon may say) → tally (sums in memory, written once a second) → store
(the database and its migrations); tokens (partner secrets, sessions), report, chart and
routes read it back. Nothing here knows a reader: no address, no agent, no identifier.
"""
