"""hgap: hermeneutical gaps between patient language, clinical concepts and EHR categories."""
