"""The workshop file: a room's assessed connections, saved and reopened."""
