"""Load stage: one reader per source format, all returning the same `Post` shape."""
