"""The project's own curated data (TSV)."""
