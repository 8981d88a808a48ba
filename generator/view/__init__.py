"""What a template sees: every figure formatted, every text translated, every state named.
No arithmetic here (figures/), no bytes (render/)."""
