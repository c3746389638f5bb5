"""The clinical/EHR model: OWL schema, vocabularies, readers and the graph build."""
