"""PAR reads and fetch-and-authorize helpers: one module per part of the year."""
