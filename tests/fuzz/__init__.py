"""Property-based tests (hypothesis) for the clipping reader, the filter language and the
sanitizer; see :mod:`.profiles` for how to run them as a long fuzzing session."""
