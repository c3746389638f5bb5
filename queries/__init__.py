"""Named SPARQL queries, one .rq file each."""
