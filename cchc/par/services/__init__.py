"""PAR state changes (HackSoft services): one module per part of the year."""
