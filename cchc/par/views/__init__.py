"""PAR back-office views: one module per part of the year."""
