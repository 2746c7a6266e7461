"""Partner stats: events counted, stored and reported, without identifiers."""
