"""PHI detection in free text: one interface, a Presidio-based engine with our own recognizers."""
