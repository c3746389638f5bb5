"""The Flask app: search UI, JSON API and SPARQL endpoint."""
