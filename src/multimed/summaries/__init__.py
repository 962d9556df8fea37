"""Per-patient summaries: sections of cited statements, rendered as text and HTML, immutable and versioned."""
