"""Content: the files editors write, read and checked into a Library."""
