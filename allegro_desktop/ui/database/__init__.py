"""The order database in the window: opening it before the window shows, File → Back up… and
Restore from backup…, the integrity check after start, the automatic backups after syncs, and
the banner shown once the database is found damaged."""
