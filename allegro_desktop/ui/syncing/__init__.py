"""The sync seen in the window: the controller that runs it on schedule or on demand, the Sync log
tab."""
