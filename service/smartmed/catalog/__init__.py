"""The catalog: every ready response built from a Library (JSON, feeds, dates)."""
