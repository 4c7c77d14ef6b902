"""Safety tests (issue 14): hostile inputs, files, strings and resumes."""
